-- scripts/bench-sync.d/seed.sql — the roster of scripts/bench-sync, in its throwaway database:
-- a city with 40 departments and 168 wards, :people people spread over them (employee codes
-- BS-000001 ..., made-up PINs starting with 099, which is not a province code), the 8
-- made-up courses the events name (table bench_sync_course), and the sequence that numbers
-- the steady load's events after the backlog's (bench_sync_event). The events themselves
-- are events.sql.
--
--   psql --single-transaction -v people=20000 -v events=100000 -f seed.sql
-- Refuses a database that already has people or events (it is meant for the benchmark's
-- empty one).
\set ON_ERROR_STOP on
DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM person) OR EXISTS (SELECT 1 FROM sync_outbox) THEN
		RAISE EXCEPTION 'bench-sync seed: the database already has people or events';
	END IF;
END $$;

INSERT INTO org_unit (code, name, kind) VALUES ('HCM', 'Thành phố Hồ Chí Minh', 'city');
INSERT INTO org_unit (code, name, kind, parent_id)
SELECT 'BS-S' || lpad(g::text, 2, '0'), 'Sở số ' || g, 'department',
       (SELECT id FROM org_unit WHERE code = 'HCM')
FROM generate_series(1, 40) g;
INSERT INTO org_unit (code, name, kind, parent_id, valid_from)
SELECT 'BS-P' || lpad(g::text, 3, '0'), 'Phường số ' || g, 'ward',
       (SELECT id FROM org_unit WHERE code = 'HCM'), DATE '2025-07-01'
FROM generate_series(1, 168) g;

-- Person g works in unit g mod 208 (the departments and wards); names from common family,
-- middle and given names.
INSERT INTO person (employee_code, pin, full_name, unit_id, position, par_role)
SELECT 'BS-' || lpad(g::text, 6, '0'), '099' || lpad(g::text, 9, '0'),
       (ARRAY['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Huỳnh', 'Hoàng', 'Võ', 'Đặng'])[1 + g % 8] || ' ' ||
       (ARRAY['Văn', 'Thị', 'Minh', 'Ngọc', 'Thanh', 'Hữu'])[1 + (g / 8) % 6] || ' ' ||
       (ARRAY['An', 'Bình', 'Lan', 'Hùng', 'Mai', 'Phúc', 'Trang', 'Dũng', 'Hà', 'Khoa',
              'Linh'])[1 + (g / 48) % 11],
       u.id, 'Chuyên viên', CASE WHEN g % 10 = 0 THEN 'concurrent' ELSE 'none' END
FROM generate_series(1, :people) g
JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM org_unit WHERE code LIKE 'BS-%') u
  ON u.k = g % 208;

CREATE TABLE bench_sync_course (k int PRIMARY KEY, code text, version_no int, title text, periods int);
INSERT INTO bench_sync_course VALUES
	(0, 'cchc-2021-2030', 1, 'Cải cách hành chính giai đoạn 2021 – 2030 và các chỉ tiêu của Thành phố Hồ Chí Minh', 2),
	(1, 'mot-cua', 2, 'Cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính', 3),
	(2, 'dvc-truc-tuyen', 1, 'Dịch vụ công trực tuyến toàn trình', 2),
	(3, 'van-hoa-cong-so', 1, 'Văn hóa công sở và đạo đức công vụ', 1),
	(4, 'chinh-quyen-so', 3, 'Chuyển đổi số và chính quyền số', 4),
	(5, 'kiem-soat-tthc', 1, 'Kiểm soát thủ tục hành chính', 2),
	(6, 'iso-9001', 2, 'Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015', 3),
	(7, 'chinh-quyen-2-cap', 1, 'Tổ chức chính quyền địa phương hai cấp từ ngày 1/7/2025', 2);

CREATE SEQUENCE bench_sync_event;
SELECT setval('bench_sync_event', :events) AS backlog_ids \gset
