#!/usr/bin/env python3
"""gen.py — the generator behind scripts/gen-dataset: writes a psql script to stdout that
loads a generated city (units, people and their history, accounts and roles, courses, and
years of enrolments, attempts, launches and completions) with COPY ... FROM STDIN (CSV).

The script it writes is meant to run in one transaction (psql --single-transaction). It
assumes an empty roster (gen-dataset checks; the script checks again inside the
transaction) and takes the identifiers it assigns from the ID offsets it is given (the
current maximum id of each table), then moves each identity sequence past them.

Invariants kept by construction (the schema checks most of them again):
  - every code matches ^[A-Za-z0-9._-]{1,32}$; usernames ^[a-z0-9._@-]{1,64}$;
  - a user's launches never overlap in time (each enrolment of a user has its own time
    slot of the day, each session of an enrolment its own day), so active time never
    exceeds wall time, per launch and per learner;
  - active_us <= (last_seen_at - opened_at); a completion's active_s >= the version's
    minimum_time_s; completed_at <= the end date;
  - person_history periods of one person are contiguous and do not overlap; exactly one
    is open (valid_to NULL).
Standard library only; deterministic for a given --seed and --today.
"""
import argparse
import datetime as dt
import hashlib
import json
import math
import random
import sys

PLACEHOLDER_HASH = ("$argon2id$v=19$m=19456,t=2,p=1$Z2VuLWRhdGFzZXQtc2FsdA$"
                    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
REFORM = dt.date(2025, 7, 1)
TD_CITY_FROM = dt.date(2021, 1, 1)

# --- Units -------------------------------------------------------------------------------

DEPARTMENTS = [
    ("SNV", "Sở Nội vụ"), ("STC", "Sở Tài chính"), ("STP", "Sở Tư pháp"), ("SYT", "Sở Y tế"),
    ("SGDDT", "Sở Giáo dục và Đào tạo"), ("SXD", "Sở Xây dựng"), ("SCT", "Sở Công Thương"),
    ("SKHCN", "Sở Khoa học và Công nghệ"), ("SVHTT", "Sở Văn hóa và Thể thao"),
    ("SDL", "Sở Du lịch"), ("SNNMT", "Sở Nông nghiệp và Môi trường"),
    ("SDTTG", "Sở Dân tộc và Tôn giáo"), ("SNGV", "Sở Ngoại vụ"),
    ("SQHKT", "Sở Quy hoạch - Kiến trúc"), ("SATTP", "Sở An toàn thực phẩm"),
    ("TTTP", "Thanh tra Thành phố"), ("VPUB", "Văn phòng Ủy ban nhân dân Thành phố"),
    ("VPHDND", "Văn phòng Đoàn ĐBQH và HĐND Thành phố"),
    ("BQLKCN", "Ban Quản lý các Khu chế xuất và công nghiệp"),
    ("BQLATTP", "Ban Quản lý Khu công nghệ cao"),
]
OFFICES_FIRST = ["Văn phòng", "Thanh tra", "Phòng Tổ chức cán bộ"]
OFFICES_MORE = ["Phòng Kế hoạch - Tài chính", "Phòng Pháp chế", "Phòng Cải cách hành chính",
                "Phòng Nghiệp vụ 1", "Phòng Nghiệp vụ 2", "Phòng Quản lý chuyên ngành"]

# Old districts (to 2025-06-30): code, name, rural, old ward names (a list, or a count of
# numbered wards), names of the wards / communes of today that cover the same area.
def _n(prefix, n):
    return ["%s %d" % (prefix, i) for i in range(1, n + 1)]

DISTRICTS = [
    ("Q1", "Quận 1", False,
     ["Phường Bến Nghé", "Phường Bến Thành", "Phường Cầu Kho", "Phường Cầu Ông Lãnh",
      "Phường Cô Giang", "Phường Đa Kao", "Phường Nguyễn Cư Trinh", "Phường Nguyễn Thái Bình",
      "Phường Phạm Ngũ Lão", "Phường Tân Định"],
     ["Phường Sài Gòn", "Phường Tân Định", "Phường Bến Thành", "Phường Cầu Ông Lãnh"]),
    ("Q3", "Quận 3", False, ["Phường Võ Thị Sáu"] + _n("Phường", 9),
     ["Phường Bàn Cờ", "Phường Xuân Hòa", "Phường Nhiêu Lộc"]),
    ("Q4", "Quận 4", False, _n("Phường", 10), ["Phường Xóm Chiếu", "Phường Khánh Hội", "Phường Vĩnh Hội"]),
    ("Q5", "Quận 5", False, _n("Phường", 10), ["Phường Chợ Quán", "Phường An Đông", "Phường Chợ Lớn"]),
    ("Q6", "Quận 6", False, _n("Phường", 10),
     ["Phường Bình Tây", "Phường Bình Tiên", "Phường Bình Phú", "Phường Phú Lâm"]),
    ("Q7", "Quận 7", False,
     ["Phường Tân Thuận Đông", "Phường Tân Thuận Tây", "Phường Tân Kiểng", "Phường Tân Hưng",
      "Phường Bình Thuận", "Phường Tân Quy", "Phường Phú Thuận", "Phường Tân Phú",
      "Phường Tân Phong", "Phường Phú Mỹ"],
     ["Phường Tân Thuận", "Phường Phú Thuận", "Phường Tân Mỹ", "Phường Tân Hưng"]),
    ("Q8", "Quận 8", False, _n("Phường", 10), ["Phường Chánh Hưng", "Phường Phú Định", "Phường Bình Đông"]),
    ("Q10", "Quận 10", False, _n("Phường", 11), ["Phường Diên Hồng", "Phường Vườn Lài", "Phường Hòa Hưng"]),
    ("Q11", "Quận 11", False, _n("Phường", 10),
     ["Phường Minh Phụng", "Phường Bình Thới", "Phường Hòa Bình", "Phường Phú Thọ"]),
    ("Q12", "Quận 12", False,
     ["Phường Thạnh Xuân", "Phường Thạnh Lộc", "Phường Hiệp Thành", "Phường Thới An",
      "Phường Tân Chánh Hiệp", "Phường An Phú Đông", "Phường Tân Thới Hiệp",
      "Phường Trung Mỹ Tây", "Phường Tân Hưng Thuận", "Phường Đông Hưng Thuận",
      "Phường Tân Thới Nhất"],
     ["Phường Đông Hưng Thuận", "Phường Trung Mỹ Tây", "Phường Tân Thới Hiệp", "Phường Thới An",
      "Phường An Phú Đông"]),
    ("BTH", "Quận Bình Thạnh", False, _n("Phường", 15),
     ["Phường Gia Định", "Phường Bình Thạnh", "Phường Bình Lợi Trung", "Phường Thạnh Mỹ Tây",
      "Phường Bình Quới"]),
    ("PN", "Quận Phú Nhuận", False, _n("Phường", 11), ["Phường Đức Nhuận", "Phường Cầu Kiệu", "Phường Phú Nhuận"]),
    ("TB", "Quận Tân Bình", False, _n("Phường", 15),
     ["Phường Tân Sơn Hòa", "Phường Tân Sơn Nhất", "Phường Tân Hòa", "Phường Bảy Hiền",
      "Phường Tân Bình", "Phường Tân Sơn"]),
    ("TP", "Quận Tân Phú", False,
     ["Phường Tây Thạnh", "Phường Sơn Kỳ", "Phường Tân Quý", "Phường Tân Sơn Nhì",
      "Phường Tân Thành", "Phường Phú Thọ Hòa", "Phường Phú Thạnh", "Phường Phú Trung",
      "Phường Hòa Thạnh", "Phường Hiệp Tân", "Phường Tân Thới Hòa"],
     ["Phường Tây Thạnh", "Phường Tân Sơn Nhì", "Phường Phú Thọ Hòa", "Phường Tân Phú",
      "Phường Phú Thạnh"]),
    ("GV", "Quận Gò Vấp", False, _n("Phường", 12),
     ["Phường Hạnh Thông", "Phường An Nhơn", "Phường Gò Vấp", "Phường An Hội Đông",
      "Phường Thông Tây Hội", "Phường An Hội Tây"]),
    ("BTA", "Quận Bình Tân", False,
     ["Phường Bình Hưng Hòa", "Phường Bình Hưng Hòa A", "Phường Bình Hưng Hòa B",
      "Phường Bình Trị Đông", "Phường Bình Trị Đông A", "Phường Bình Trị Đông B",
      "Phường Tân Tạo", "Phường Tân Tạo A", "Phường An Lạc", "Phường An Lạc A"],
     ["Phường Bình Tân", "Phường Bình Hưng Hòa", "Phường Bình Trị Đông", "Phường An Lạc",
      "Phường Tân Tạo"]),
    ("TD", "Thành phố Thủ Đức", False,
     ["Phường Thảo Điền", "Phường An Phú", "Phường An Khánh", "Phường Thủ Thiêm",
      "Phường Bình Trưng Đông", "Phường Bình Trưng Tây", "Phường Cát Lái",
      "Phường Thạnh Mỹ Lợi", "Phường An Lợi Đông", "Phường Long Bình", "Phường Long Phước",
      "Phường Long Thạnh Mỹ", "Phường Long Trường", "Phường Phú Hữu", "Phường Phước Long A",
      "Phường Phước Long B", "Phường Tăng Nhơn Phú A", "Phường Tăng Nhơn Phú B",
      "Phường Hiệp Phú", "Phường Tân Phú", "Phường Trường Thạnh", "Phường Phước Bình",
      "Phường Bình Chiểu", "Phường Bình Thọ", "Phường Hiệp Bình Chánh",
      "Phường Hiệp Bình Phước", "Phường Linh Chiểu", "Phường Linh Đông", "Phường Linh Tây",
      "Phường Linh Trung", "Phường Linh Xuân", "Phường Tam Bình", "Phường Tam Phú",
      "Phường Trường Thọ"],
     ["Phường An Khánh", "Phường Bình Trưng", "Phường Cát Lái", "Phường Long Bình",
      "Phường Long Phước", "Phường Long Trường", "Phường Phước Long", "Phường Tăng Nhơn Phú",
      "Phường Thủ Đức", "Phường Hiệp Bình", "Phường Tam Bình", "Phường Linh Xuân"]),
    ("BC", "Huyện Bình Chánh", True, ["Thị trấn Tân Túc"] + _n("Xã", 15),
     ["Xã Vĩnh Lộc", "Xã Tân Vĩnh Lộc", "Xã Bình Lợi", "Xã Tân Nhựt", "Xã Bình Chánh",
      "Xã Hưng Long", "Xã Bình Hưng"]),
    ("CC", "Huyện Củ Chi", True, ["Thị trấn Củ Chi"] + _n("Xã", 20),
     ["Xã Củ Chi", "Xã Tân An Hội", "Xã Thái Mỹ", "Xã An Nhơn Tây", "Xã Nhuận Đức",
      "Xã Phú Hòa Đông", "Xã Bình Mỹ"]),
    ("HM", "Huyện Hóc Môn", True, ["Thị trấn Hóc Môn"] + _n("Xã", 11),
     ["Xã Hóc Môn", "Xã Bà Điểm", "Xã Xuân Thới Sơn", "Xã Đông Thạnh"]),
    ("NB", "Huyện Nhà Bè", True, ["Thị trấn Nhà Bè"] + _n("Xã", 6), ["Xã Nhà Bè", "Xã Hiệp Phước"]),
    ("CG", "Huyện Cần Giờ", True, ["Thị trấn Cần Thạnh"] + _n("Xã", 6),
     ["Xã Cần Giờ", "Xã Bình Khánh", "Xã An Thới Đông", "Xã Thạnh An"]),
]
# Districts abolished on 2021-01-01 into Thủ Đức city (no wards of their own here: the
# schema has one parent per unit, and their wards hang under Thủ Đức city, as they did
# for the whole of any window that starts after 2021).
OLD_TD = [("Q2", "Quận 2"), ("Q9", "Quận 9"), ("QTD", "Quận Thủ Đức")]
# Wards and communes of today in the former Bình Dương and Bà Rịa–Vũng Tàu provinces:
# a few real names, numbered names for the rest.
NEW_OTHER_WARDS = (["Phường Thủ Dầu Một", "Phường Phú Lợi", "Phường Dĩ An", "Phường Thuận An",
                    "Phường Lái Thiêu", "Phường Bến Cát", "Phường Tân Uyên", "Phường Vũng Tàu",
                    "Phường Bà Rịa", "Phường Phú Mỹ", "Phường Tam Thắng", "Phường Rạch Dừa"])
N_NEW_WARDS, N_NEW_COMMUNES = 113, 54

FAMILY = (["Nguyễn"] * 38 + ["Trần"] * 11 + ["Lê"] * 9 + ["Phạm"] * 7 + ["Huỳnh"] * 5 +
          ["Hoàng"] * 3 + ["Phan"] * 4 + ["Võ"] * 4 + ["Vũ"] * 2 + ["Đặng"] * 2 + ["Bùi"] * 2 +
          ["Đỗ"] * 2 + ["Hồ"] * 2 + ["Ngô"] * 2 + ["Dương", "Lý", "Trương", "Đinh", "Lâm",
                                                     "Mai", "Tô", "Châu", "Tạ", "Lưu"])
MIDDLE_M = ["Văn", "Hữu", "Minh", "Quốc", "Thanh", "Hoàng", "Đức", "Công", "Ngọc", "Tấn"]
MIDDLE_F = ["Thị", "Ngọc", "Thanh", "Thu", "Kim", "Minh", "Bích", "Mỹ", "Thị Thanh", "Hoàng"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Huy", "Khang",
           "Khoa", "Long", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quang", "Sơn", "Tài",
           "Thành", "Thắng", "Tín", "Trung", "Tuấn", "Việt", "Vinh", "Bảo", "Duy", "Lộc"]
GIVEN_F = ["Anh", "Châu", "Chi", "Diễm", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa",
           "Hương", "Lan", "Linh", "Loan", "Mai", "My", "Ngân", "Nhung", "Oanh", "Phương",
           "Quyên", "Tâm", "Thảo", "Thủy", "Trang", "Trinh", "Uyên", "Vân", "Vy", "Yến"]
STAFF_POS = (["Chuyên viên"] * 10 + ["Chuyên viên chính"] * 3 + ["Cán sự"] * 2 +
             ["Kế toán", "Văn thư", "Thanh tra viên", "Chuyên viên cao cấp"])
WARD_STAFF_POS = (["Công chức Văn phòng - Thống kê"] * 2 + ["Công chức Tư pháp - Hộ tịch"] * 2 +
                  ["Công chức Địa chính - Xây dựng"] * 2 + ["Công chức Văn hóa - Xã hội",
                   "Công chức Tài chính - Kế toán", "Chuyên viên"])

AREAS = ["institutional", "admin-procedures", "apparatus", "civil-service", "public-finance",
         "e-government", "leadership"]
COURSE_TITLES = [
    "Tổng quan về cải cách hành chính giai đoạn 2021–2030",
    "Kiểm soát thủ tục hành chính", "Cơ chế một cửa, một cửa liên thông",
    "Dịch vụ công trực tuyến toàn trình", "Chính quyền số và chuyển đổi số",
    "Đo lường sự hài lòng của người dân (SIPAS)", "Chỉ số cải cách hành chính (PAR INDEX)",
    "Kỹ năng soạn thảo văn bản hành chính", "Văn hóa công vụ và đạo đức công vụ",
    "Quản lý tài chính công và tự chủ đơn vị sự nghiệp", "Tổ chức bộ máy chính quyền hai cấp",
    "Xây dựng và kiểm tra văn bản quy phạm pháp luật", "Vị trí việc làm và khung năng lực",
    "Lãnh đạo, chỉ đạo công tác cải cách hành chính", "Kỹ năng giao tiếp với người dân",
    "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "An toàn thông tin cho cán bộ",
    "Đánh giá, xếp loại cán bộ, công chức", "Phân cấp, phân quyền, ủy quyền",
    "Cải cách chế độ tiền lương", "Hệ thống thông tin giải quyết thủ tục hành chính",
    "Tiếp nhận và xử lý phản ánh, kiến nghị", "Quản lý văn bản và hồ sơ điện tử",
    "Chữ ký số và định danh điện tử VNeID", "Kỹ năng lãnh đạo, quản lý cấp phòng",
    "Truyền thông cải cách hành chính", "Quy chế dân chủ ở cơ sở",
    "Công tác thi đua trong cải cách hành chính", "Dữ liệu mở và cơ sở dữ liệu dân cư",
    "Kỹ năng tổ chức cuộc họp trực tuyến", "Thủ tục hành chính lĩnh vực đất đai",
    "Thủ tục hành chính lĩnh vực hộ tịch", "Thủ tục hành chính lĩnh vực đầu tư",
    "Mua sắm công và đấu thầu qua mạng", "Phòng, chống tham nhũng, tiêu cực",
    "Quản trị nguồn nhân lực khu vực công", "Kỹ năng viết báo cáo cải cách hành chính",
    "Bộ chỉ số chỉ đạo, điều hành của Thành phố", "Đổi mới phương thức làm việc",
    "Sáng kiến cải cách hành chính",
]


def csv_text(s):
    if s is None:
        return ""
    if any(c in s for c in ',"\n\r') or s == "":
        return '"' + s.replace('"', '""') + '"'
    return s


def q(s):
    """Always quoted: an empty string stays an empty string, not NULL."""
    return '"' + s.replace('"', '""') + '"'


class Out:
    def __init__(self, stream):
        self.f = stream
        self.counts = {}

    def copy(self, table, cols, rows):
        if not rows:
            return
        w = self.f.write
        w("COPY %s (%s) FROM STDIN (FORMAT csv);\n" % (table, ", ".join(cols)))
        w("\n".join(rows))
        w("\n\\.\n")
        self.counts[table] = self.counts.get(table, 0) + len(rows)

    def sql(self, text):
        self.f.write(text.rstrip() + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--people", type=int, default=150000)
    ap.add_argument("--courses", type=int, default=40)
    ap.add_argument("--years", type=int, default=3)
    ap.add_argument("--today", default=None)
    ap.add_argument("--beat-sample", type=float, default=0.01)
    ap.add_argument("--ids", default="{}", help="JSON: table -> current max id")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    base = json.loads(a.ids)
    today = dt.date.fromisoformat(a.today) if a.today else dt.date.today()
    win_start = today - dt.timedelta(days=round(365.25 * a.years) - 1)
    out = Out(sys.stdout)

    # Time: seconds since local midnight of EPOCH_DAY (Asia/Ho_Chi_Minh, +07, no DST).
    epoch_day = dt.date(1990, 1, 1)
    n_days = (today - epoch_day).days + 400
    day_str = [(epoch_day + dt.timedelta(days=i)).isoformat() for i in range(n_days)]

    def dnum(d):
        return (d - epoch_day).days

    def ts(t):
        d, r = divmod(t, 86400)
        assert d >= 0
        return "%s %02d:%02d:%02d+07" % (day_str[d], r // 3600, r % 3600 // 60, r % 60)

    w0, wend = dnum(win_start), dnum(today)
    end_t = (wend + 1) * 86400 - 1  # nothing happens after the end of today
    reform = dnum(REFORM)

    ids = {k: int(base.get(k, 0)) for k in ("org_unit", "person", "person_history", "app_user",
                                            "course", "course_version", "enrolment",
                                            "sco_attempt", "launch", "runtime_log",
                                            "completion")}

    def next_id(t):
        ids[t] += 1
        return ids[t]

    out.sql("\\set ON_ERROR_STOP on")
    out.sql("SET LOCAL synchronous_commit = off;")
    out.sql("DO $$ BEGIN IF EXISTS (SELECT 1 FROM person) THEN RAISE EXCEPTION "
            "'gen-dataset: the database already has people; refusing to add a generated city to it'; "
            "END IF; END $$;")

    # --- Units ---------------------------------------------------------------------------
    units = []  # id, code, name, kind, parent, from, to
    unit_by_code = {}

    def unit(code, name, kind, parent=None, vfrom=None, vto=None):
        uid = next_id("org_unit")
        units.append((uid, code, name, kind, parent, vfrom, vto))
        unit_by_code[code] = uid
        return uid

    succ = []
    city = unit("HCM", "Thành phố Hồ Chí Minh", "city", None, dt.date(1976, 7, 2))
    dept_units = []  # (dept id, [office ids], code)
    for code, name in DEPARTMENTS:
        did = unit(code, name, "department", city)
        n = rnd.randint(3, 6)
        names = OFFICES_FIRST[:min(3, n)] + rnd.sample(OFFICES_MORE, max(0, n - 3))
        offs = [unit("%s-P%02d" % (code, i + 1), nm, "office", did) for i, nm in enumerate(names)]
        dept_units.append((did, offs, code))
    # Old districts and their wards, then the wards of today with the links between them.
    td_city = None
    for code, name in OLD_TD:
        unit(code, name, "district", city, None, TD_CITY_FROM - dt.timedelta(days=1))
    old_d = []  # (district id, [old ward ids], [new ward ids], code)
    for code, name, rural, old_names, _ in DISTRICTS:
        vfrom = TD_CITY_FROM if code == "TD" else None
        did = unit(code, name, "district", city, vfrom, REFORM - dt.timedelta(days=1))
        if code == "TD":
            td_city = did
        wards = []
        for i, nm in enumerate(old_names):
            kind = "commune" if nm.startswith("Xã") else "ward"
            wards.append(unit("%s-%02d" % (code, i + 1), nm, kind, did, None,
                              REFORM - dt.timedelta(days=1)))
        old_d.append([did, wards, [], code])
    for code, _ in OLD_TD:
        succ.append((unit_by_code[code], td_city))
    nw = 0
    n_phuong = n_xa = 0
    for i, (code, name, rural, old_names, new_names) in enumerate(DISTRICTS):
        for nm in new_names:
            nw += 1
            kind = "commune" if nm.startswith("Xã") else "ward"
            if kind == "ward":
                n_phuong += 1
            else:
                n_xa += 1
            old_d[i][2].append(unit("PX%03d" % nw, nm, kind, city, REFORM))
    other_new = []
    named = list(NEW_OTHER_WARDS)
    while n_phuong < N_NEW_WARDS or n_xa < N_NEW_COMMUNES:
        nw += 1
        if n_phuong < N_NEW_WARDS:
            nm = named.pop(0) if named else "Phường số %d" % nw
            kind = "ward"
            n_phuong += 1
        else:
            nm, kind = "Xã số %d" % nw, "commune"
            n_xa += 1
        other_new.append(unit("PX%03d" % nw, nm, kind, city, REFORM))
    other_new.append(unit("DK-CONDAO", "Đặc khu Côn Đảo", "special_zone", city, REFORM))
    # Each old ward becomes part of one new ward (its primary successor, where its people
    # go); about one in eight is split and also links to the next one. The district links
    # to every new ward of its area.
    primary = {}
    for did, wards, news, code in old_d:
        k = len(news)
        for j, wid in enumerate(wards):
            g = min(k - 1, j * k // len(wards))
            primary[wid] = news[g]
            succ.append((wid, news[g]))
            if g + 1 < k and rnd.random() < 0.125:
                succ.append((wid, news[g + 1]))
        for nid in news:
            succ.append((did, nid))
        primary[did] = news[0]
    rows = []
    for uid, code, name, kind, parent, vf, vt in units:
        rows.append("%d,%s,%s,%s,%s,%s,%s" % (uid, code, csv_text(name), kind,
                                               parent or "", vf or "", vt or ""))
    out.copy("org_unit", ["id", "code", "name", "kind", "parent_id", "valid_from", "valid_to"], rows)
    out.copy("unit_successor", ["unit_id", "successor_id"], ["%d,%d" % s for s in succ])

    # --- People ----------------------------------------------------------------------------
    # Where people sit: departments and offices 30 %, the old districts' own staff 6 %,
    # their wards 50 % (both move on 2025-07-01), the wards of the former provinces 14 %
    # (on the roster from 2025-07-01).
    seats = []  # (unit id, weight, group) group: dept / district / oldward / newprov
    for did, offs, code in dept_units:
        seats.append((did, 3.0, "dept", did))
        for o in offs:
            seats.append((o, 5.0, "dept", did))
    dsum = sum(s[1] for s in seats)
    seats = [(u, w * 30.0 / dsum, g, top) for u, w, g, top in seats]
    n_old_wards = sum(len(x[1]) for x in old_d)
    for did, wards, news, code in old_d:
        seats.append((did, 6.0 / len(old_d), "district", did))
        for wid in wards:
            seats.append((wid, 50.0 / n_old_wards, "oldward", did))
    for nid in other_new:
        seats.append((nid, 14.0 / len(other_new), "newprov", nid))
    cum, acc = [], 0.0
    for s in seats:
        acc += s[1]
        cum.append(acc)

    hire_lo = dnum(dt.date(1995, 1, 1))
    persons = []  # per person: dict-free tuple for speed
    p_rows, h_rows, u_rows = [], [], []
    hist_first = ids["person_history"]
    person_base, user_base = ids["person"], ids["app_user"]
    pins = set()
    for i in range(a.people):
        pid = next_id("person")
        uidx = next_id("app_user")
        seat = rnd.choices(seats, cum_weights=cum)[0]
        unit_id, _, group, top = seat
        female = rnd.random() < 0.55
        name = "%s %s %s" % (rnd.choice(FAMILY), rnd.choice(MIDDLE_F if female else MIDDLE_M),
                             rnd.choice(GIVEN_F if female else GIVEN_M))
        born = rnd.randint(1965, 2001)
        # 12 digits: a province code no province has (099), century-and-sex digit, year of
        # birth, then the person's serial: unique, and never a real citizen's number.
        pin = "099%d%02d%06d" % ((0 if born < 2000 else 2) + (1 if female else 0), born % 100, i)
        code = "CB%07d" % (pid - person_base)
        leader = rnd.random() < 0.08
        r = rnd.random()
        par = "dedicated" if r < 0.02 else "concurrent" if r < 0.12 else "none"
        ward_like = group in ("oldward", "newprov")
        if leader:
            pos = rnd.choice(["Chủ tịch UBND", "Phó Chủ tịch UBND"] if ward_like else
                             ["Trưởng phòng", "Phó Trưởng phòng", "Phó Trưởng phòng",
                              "Chánh Văn phòng", "Phó Giám đốc"])
        else:
            pos = rnd.choice(WARD_STAFF_POS if ward_like else STAFF_POS)
        # Dates: on the roster since a hire date (5 % hired inside the window); the former
        # provinces' staff since the reform; 3 % leave.
        if group == "newprov":
            start = reform if rnd.random() < 0.9 else rnd.randint(reform, wend)
        elif rnd.random() < 0.05:
            start = rnd.randint(w0, wend - 30)
        else:
            start = rnd.randint(hire_lo, w0 - 1)
        if unit_id == td_city:  # Thủ Đức city's own staff: on its roster since it began
            start = max(start, dnum(TD_CITY_FROM))
        leave = rnd.randint(max(start, w0) + 30, wend) if rnd.random() < 0.03 and max(start, w0) + 30 < wend else None
        # Periods: [from, to, unit, position, leader, active]
        periods = []
        cur_unit, cur_pos, cur_leader = unit_id, pos, leader
        if group in ("oldward", "district") and start >= reform:
            cur_unit = primary[unit_id]  # hired after the reform: straight into today's ward
        changes = []
        if group in ("oldward", "district") and start < reform:
            changes.append((reform, "move"))
        if group == "dept" and not leader and rnd.random() < 0.03 and start < wend - 60:
            changes.append((rnd.randint(max(start, w0) + 1, wend), "promote"))
        if leave:
            changes.append((leave, "leave"))
        changes.sort()
        pfrom, active = start, True
        for day, what in changes:
            if day <= pfrom:
                continue
            if not active:
                break
            periods.append((pfrom, day - 1, cur_unit, cur_pos, cur_leader, True))
            pfrom = day
            if what == "move":
                cur_unit = primary[cur_unit]
            elif what == "promote":
                cur_pos, cur_leader = "Phó Trưởng phòng", True
            else:
                active = False
        periods.append((pfrom, None, cur_unit, cur_pos, cur_leader, active))
        pins.add(pin)
        tf = "t" if cur_leader else "f"
        p_rows.append("%d,%s,%s,%s,%d,%s,%s,%s,%s" % (pid, code, pin, csv_text(name), cur_unit,
                                                      csv_text(cur_pos), tf, par,
                                                      "t" if active else "f"))
        for pf, pt, pu, ppos, pl, pa in periods:
            hid = next_id("person_history")
            h_rows.append("%d,%d,%d,%s,%s,%s,%s,%s,%s" % (
                hid, pid, pu, csv_text(ppos), "t" if pl else "f", par, "t" if pa else "f",
                day_str[pf], day_str[pt] if pt is not None else ""))
        u_rows.append("%d,%s,%s,%s,%d,%s" % (uidx, code.lower(), csv_text(name), q(PLACEHOLDER_HASH),
                                             pid, "t" if active else "f"))
        # For activity: user id, active days [a, b], leader, par, group/top unit, index.
        a_day = max(start, w0)
        b_day = (leave - 1) if leave else wend
        persons.append((uidx, a_day, b_day, cur_leader or leader, par, top, unit_id))
    assert len(pins) == a.people
    # The person trigger writes a history row per inserted person, dated today (or
    # parlearn.effective_date); the generated history replaces those rows below.
    out.copy("person", ["id", "employee_code", "pin", "full_name", "unit_id", "position",
                        "is_leader", "par_role", "active"], p_rows)
    out.sql("DELETE FROM person_history WHERE person_id > %d;" % person_base)
    out.copy("person_history", ["id", "person_id", "unit_id", "position", "is_leader", "par_role",
                                "active", "valid_from", "valid_to"], h_rows)
    out.copy("app_user", ["id", "username", "display_name", "password_hash", "person_id",
                          "active"], u_rows)
    del p_rows, h_rows, u_rows

    # Roles: every account is a learner; per department 2 HR officers and (Sở Nội vụ 4,
    # others 1) trainers; per old district 2 HR officers (scope: the district, for the
    # periods before the reform); per ward / commune / special zone of today 1 HR officer.
    r_rows = ["%d,learner," % p[0] for p in persons]
    by_top = {}
    for p in persons:
        by_top.setdefault(p[5], []).append(p)
    hr_of = {}
    for did, offs, code in dept_units:
        staff = by_top.get(did, [])
        picks = rnd.sample(staff, min(len(staff), 2 + (4 if code == "SNV" else 1)))
        for j, p in enumerate(picks):
            role = "hr_officer" if j < 2 else "trainer"
            r_rows.append("%d,%s,%d" % (p[0], role, did))
        hr_of[did] = [p[0] for p in picks[:2]]
    for did, wards, news, code in old_d:
        staff = [p for p in by_top.get(did, []) if p[6] == did] or by_top.get(did, [])
        picks = rnd.sample(staff, min(len(staff), 2))
        for p in picks:
            r_rows.append("%d,hr_officer,%d" % (p[0], did))
        hr_of[did] = [p[0] for p in picks]
    out.copy("user_role", ["user_id", "role", "unit_id"], r_rows)
    n_roles = len(r_rows)
    del r_rows
    # HR officers of today's wards: chosen among the people whose current unit is the ward.
    cur_by_unit = {}
    for (uidx, ad, bd, ld, par, top, uid0) in persons:
        cu = primary.get(uid0, uid0) if (uid0 in primary) else uid0
        cur_by_unit.setdefault(cu, []).append(uidx)
    w_rows = []
    for nid in [n for x in old_d for n in x[2]] + other_new:
        if cur_by_unit.get(nid):
            hr = rnd.choice(cur_by_unit[nid])
            w_rows.append("%d,hr_officer,%d" % (hr, nid))
            hr_of[nid] = [hr]
    out.copy("user_role", ["user_id", "role", "unit_id"], w_rows)
    usernames = {}

    # --- Courses ---------------------------------------------------------------------------
    courses = []  # (course id, [(version id, release day, kind, periods, minimum_s, expected_s, n_items, audience)])
    c_rows, v_rows, i_rows = [], [], []
    for ci in range(a.courses):
        cid = next_id("course")
        title = COURSE_TITLES[ci % len(COURSE_TITLES)]
        if ci >= len(COURSE_TITLES):
            title += " (phần %d)" % (ci // len(COURSE_TITLES) + 1)
        c_rows.append("%d,CCHC-%02d,%s,%s" % (cid, ci + 1, csv_text(title), ts(w0 * 86400 - 86400 * 200)))
        area = AREAS[ci % len(AREAS)]
        r = rnd.random()
        audience = "leader" if r < 0.2 else "staff" if r < 0.4 else "all"
        if area == "leadership":
            audience = "leader"
        r = rnd.random()
        kind = "scorm12" if r < 0.4 else "scorm2004" if r < 0.7 else "native"
        periods = rnd.randint(1, 8)
        expected = periods * rnd.choice([15, 20, 25]) * 60
        minimum = int(expected * 0.5) if kind == "native" else (int(expected * 0.3) if rnd.random() < 0.3 else 0)
        n_items = rnd.randint(1, 5)
        rel1 = w0 - rnd.randint(1, 400) if rnd.random() < 0.6 else rnd.randint(w0, max(w0, wend - 120))
        rels = [rel1]
        if rnd.random() < 0.35 and rel1 + 120 < wend - 30:
            rels.append(rnd.randint(max(rel1 + 120, w0), wend - 30))
        vers = []
        for vn, rel in enumerate(rels, 1):
            vid = next_id("course_version")
            ni = max(1, min(5, n_items + (rnd.choice([-1, 0, 1]) if vn > 1 else 0)))
            sha = hashlib.sha256(("gen-dataset:%d:%d:%d" % (a.seed, cid, vn)).encode()).hexdigest()
            key = "gen%s" % sha[:29]
            edition = 4 if kind == "scorm2004" else 0
            v_rows.append(",".join([
                str(vid), str(cid), str(vn), kind, str(edition), csv_text(title), sha, key,
                str(rnd.randint(20, 400)), str(rnd.randint(2, 90) * 1000000),
                "0", "gen-dataset", ts(rel * 86400 + 9 * 3600), area, audience, "vi",
                str(periods), str(expected), str(minimum)]))
            for o in range(ni):
                test = (o == ni - 1 and ni > 1) or ni == 1
                href = "sco%d/index.html" % (o + 1) if kind != "native" else "lesson-%d" % (o + 1)
                ititle = ("Bài kiểm tra cuối khóa" if test and ni > 1 else "Bài %d" % (o + 1))
                mastery = "80" if test and kind == "scorm12" else ""
                i_rows.append("%d,%d,,ITEM-%d,%s,%s,sco,t,%s" % (vid, o, o + 1, csv_text(ititle), href, mastery))
            vers.append((vid, rel, kind, periods, minimum, expected, ni, audience))
        courses.append((cid, vers))
    out.copy("course", ["id", "code", "title", "created_at"], c_rows)
    out.copy("course_version", ["id", "course_id", "version_no", "kind", "scorm_edition", "title",
                                "package_sha256", "storage_key", "file_count", "total_bytes",
                                "warnings", "imported_by", "imported_at", "par_area", "audience",
                                "language", "training_periods", "expected_duration_s",
                                "minimum_time_s"], v_rows)
    out.copy("course_item", ["version_id", "ord", "parent_ord", "identifier", "title", "href",
                             "scorm_type", "is_visible", "mastery_score"], i_rows)

    # --- Activity --------------------------------------------------------------------------
    assigner = {}
    for did, lst in hr_of.items():
        if lst:
            assigner[did] = "cb%07d" % (lst[0] - user_base)
    clock = {}
    batch = {"enrolment": [], "sco_attempt": [], "launch": [], "launch_beat": [],
             "runtime_log": [], "completion": []}
    cols = {
        "enrolment": ["id", "user_id", "course_id", "version_id", "source", "assigned_by",
                      "due_at", "enrolled_at", "started_at", "completed_at"],
        "sco_attempt": ["id", "enrolment_id", "item_ord", "attempt_no", "state", "rev",
                        "started_at", "updated_at", "ended_at", "completion_status",
                        "success_status", "score_scaled", "total_time_cs"],
        "launch": ["id", "token_hash", "attempt_id", "user_id", "opened_at", "last_seen_at",
                   "closed_at", "closed_reason", "last_seq", "beats", "last_beat_at",
                   "last_input_at", "active_us", "reported_cs", "flagged"],
        "launch_beat": ["launch_id", "n", "at", "visible", "idle_ms", "hidden_ms",
                        "credited_us", "reason"],
        "runtime_log": ["id", "launch_id", "attempt_id", "seq_from", "seq_to", "at", "changes",
                        "refused", "finish"],
        "completion": ["id", "enrolment_id", "user_id", "course_id", "version_id", "completed_at",
                       "passed", "score_scaled", "active_s", "reported_s", "evidence"],
    }

    def flush():
        for t in ("enrolment", "sco_attempt", "launch", "launch_beat", "runtime_log", "completion"):
            out.copy(t, cols[t], batch[t])
            batch[t] = []

    def cs_time(cs):  # SCORM 1.2 CMITimespan
        s = cs // 100
        return "%04d:%02d:%02d.%02d" % (s // 3600, s % 3600 // 60, s % 60, cs % 100)

    def iso_dur(cs):
        return "PT%dH%dM%dS" % (cs // 360000, cs // 6000 % 60, cs // 100 % 60)

    def state_json(kind, status, success, score, location, total_cs):
        if kind == "scorm12":
            ls = success if success in ("passed", "failed") else status
            d = {"cmi.core.lesson_status": ls, "cmi.core.lesson_location": location,
                 "cmi.core.total_time": cs_time(total_cs), "cmi.core.exit": "" if status == "completed" else "suspend"}
            if score is not None:
                d["cmi.core.score.raw"] = "%d" % round(score * 100)
                d["cmi.core.score.min"] = "0"
                d["cmi.core.score.max"] = "100"
            if status != "completed":
                d["cmi.suspend_data"] = "p=%s" % location
        else:
            d = {"cmi.completion_status": status, "cmi.success_status": success,
                 "cmi.location": location, "cmi.total_time": iso_dur(total_cs),
                 "cmi.progress_measure": "1" if status == "completed" else "0.%d" % rnd.randint(1, 9)}
            if score is not None:
                d["cmi.score.scaled"] = "%.2f" % score
            if status != "completed":
                d["cmi.exit"] = "suspend"
                d["cmi.suspend_data"] = "p=%s" % location
        return json.dumps(d, ensure_ascii=False, separators=(",", ":"))

    n_courses = len(courses)
    quarter_starts = [dnum(dt.date(y, m, 1)) for y in range(win_start.year, today.year + 1)
                      for m in (1, 4, 7, 10)]
    for pi, (uidx, ad, bd, leader, par, top, home) in enumerate(persons):
        if bd - ad < 14:
            continue
        rate = 1.6 * (2.5 if par == "dedicated" else 1.6 if par == "concurrent" else 1.0) * (1.3 if leader else 1.0)
        lam = rate * (bd - ad) / 365.25
        n = int(lam) + (1 if rnd.random() < lam - int(lam) else 0)
        n = min(n, 16, n_courses)
        if n == 0:
            continue
        # Each enrolment: a day, uniform over the person's time on the roster, then a course
        # already released that day (so enrolments do not pile up after late releases).
        chosen = []
        seen = set()
        tries = 0
        while len(chosen) < n and tries < 4 * n + 8:
            tries += 1
            eday = rnd.randint(ad, bd - 7)
            c = courses[rnd.randrange(n_courses)]
            if c[0] in seen or c[1][0][1] > eday:
                continue
            aud = c[1][0][7]
            if aud == "leader" and not leader and rnd.random() < 0.85:
                continue
            if aud == "staff" and leader and rnd.random() < 0.6:
                continue
            seen.add(c[0])
            chosen.append((c[0], c[1], eday))
        for slot, (cid, vers, eday) in enumerate(chosen):
            assigned = rnd.random() < 0.65
            if assigned:  # campaigns start with the quarter
                qs = [x for x in quarter_starts if eday <= x <= bd - 7]
                if qs and rnd.random() < 0.7:
                    eday = qs[0] + rnd.randint(0, 10)
                    eday = min(eday, bd - 7)
            ver = vers[0]
            for v in vers:
                if v[1] <= eday:
                    ver = v
            vid, rel, kind, periods, minimum, expected, n_items, aud = ver
            base_t = 7 * 3600 + slot * 55 * 60  # this enrolment's slot of the day
            enr_t = eday * 86400 + base_t - rnd.randint(600, 3600)
            eid = next_id("enrolment")
            due = None
            if assigned:
                due_d = eday + rnd.choice([30, 45, 60, 90])
                due = day_str[due_d]
            started = rnd.random() < (0.9 if assigned else 0.95)
            # Plan: the active time to spend, the sessions (one per day, in the slot).
            will_finish = started and rnd.random() < 0.76
            total_active = int(expected * rnd.uniform(0.7, 1.3))
            if will_finish:
                total_active = max(total_active, int(minimum * 1.08) + 120)
            else:
                total_active = int(total_active * rnd.uniform(0.05, 0.8))
            started_t = completed_t = None
            e_active_us = e_reported_cs = 0
            evidence_items = []
            any_score = []
            last_close = None
            finished = False
            if started:
                # Items: split the time; the last item (a test when there are several) may
                # be failed once and retaken.
                if will_finish:
                    upto = n_items
                else:
                    upto = max(1, math.ceil(n_items * rnd.uniform(0.1, 0.9)))
                per_item = max(60, total_active // upto)
                day = eday + (0 if rnd.random() < 0.4 else int(rnd.expovariate(1 / 4.0)))
                gap_mean = max(1.0, (30 if assigned else 20) / max(1, (total_active // 1500 + upto)))
                stop = False
                finished = will_finish
                for o in range(upto):
                    is_test = (o == n_items - 1)
                    attempts = 1
                    fail_first = is_test and kind != "native" and rnd.random() < 0.15
                    if fail_first:
                        attempts = 2
                    item_active_us = 0
                    item_reported = 0
                    item_status = item_success = None
                    item_score = None
                    for an in range(1, attempts + 1):
                        last_attempt_of_item = an == attempts
                        item_done = will_finish or o < upto - 1 or (an < attempts)
                        att_active = per_item if an == attempts else per_item // 2
                        # Sessions of this attempt.
                        n_sess = max(1, math.ceil(att_active / rnd.uniform(900, 2400)))
                        sess = []
                        rem = att_active
                        for s in range(n_sess):
                            if day > bd or day > wend:
                                stop = True
                                break
                            act = rem // (n_sess - s)
                            rem -= act
                            act = min(act, 2900)
                            wall = min(3000, int(act / rnd.uniform(0.78, 0.98)) + 5)
                            act = min(act, wall)
                            open_t = day * 86400 + base_t + rnd.randint(0, 240)
                            sess.append((open_t, wall, act))
                            day += 1 + int(rnd.expovariate(1 / gap_mean))
                        if not sess:
                            stop = True
                            break
                        if stop:
                            item_done = False
                            finished = False
                        aid = next_id("sco_attempt")
                        if item_done:
                            status = "completed"
                            if is_test and kind != "native":
                                if an < attempts:
                                    score = rnd.uniform(0.4, 0.78)
                                    success = "failed"
                                else:
                                    score = rnd.uniform(0.8, 1.0)
                                    success = "passed"
                            elif is_test:
                                score, success = rnd.uniform(0.7, 1.0), "passed"
                            else:
                                score, success = None, "unknown"
                        else:
                            status, success, score = "incomplete", "unknown", None
                        att_rep = 0
                        att_act_us = 0
                        launch_rows = []
                        for si, (open_t, wall, act) in enumerate(sess):
                            lid = next_id("launch")
                            last_s = (si == len(sess) - 1)
                            r = rnd.random()
                            reason = "finish" if r < 0.8 else "timeout" if r < 0.95 else "relaunch"
                            beats = max(1, wall // 30)
                            act_us = act * 1000000
                            sampled = rnd.random() < a.beat_sample
                            if sampled:  # the heartbeats behind active_us
                                credits = []
                                idle_run = 0
                                for bn in range(1, beats + 1):
                                    at = open_t + 30 * bn
                                    if rnd.random() < 0.08 or idle_run:
                                        idle_run = (idle_run + 1) if rnd.random() < 0.7 else 0
                                        idle_ms = 300000 + idle_run * 30000
                                        cr, why = (rnd.randint(0, 29) * 1000000, "idle_cut")
                                        vis, hid = "t", 0
                                    elif rnd.random() < 0.03:
                                        hid = rnd.randint(5000, 30000)
                                        cr, why, vis, idle_ms = min(30000000, 30000000 - hid * 1000 + 1000000 * rnd.randint(0, 5)), "hidden_cut", "f", rnd.randint(0, 30000)
                                    else:
                                        cr, why, vis, hid, idle_ms = 30000000, "active", "t", 0, rnd.randint(200, 25000)
                                    credits.append(cr)
                                    batch["launch_beat"].append("%d,%d,%s,%s,%d,%d,%d,%s" % (
                                        lid, bn, ts(at), vis, idle_ms, hid, cr, why))
                                act_us = sum(credits)
                                wall = max(wall, beats * 30)
                            last_beat = open_t + beats * 30
                            last_seen = open_t + wall
                            rep = None
                            if reason == "finish":
                                rep = int(wall * 100 * rnd.uniform(0.85, 1.08))
                                if rnd.random() < 0.01:
                                    rep = rep * 4 + 60000  # a content that claims too much
                                att_rep += rep
                            flagged = False
                            if rep is not None:
                                d_us = abs(act_us - rep * 10000)
                                big = max(act_us, rep * 10000)
                                flagged = d_us > 300000000 and d_us * 2 > big
                            tok = hashlib.sha256(b"%d:%d" % (a.seed, lid)).hexdigest()
                            seqs = 1 + wall // 300
                            launch_rows.append("%d,\\x%s,%d,%d,%s,%s,%s,%s,%d,%d,%s,%s,%d,%s,%s" % (
                                lid, tok, aid, uidx, ts(open_t), ts(last_seen), ts(last_seen),
                                reason, seqs, beats, ts(last_beat),
                                ts(last_beat - rnd.randint(0, 25)), act_us,
                                "" if rep is None else rep, "t" if flagged else "f"))
                            if sampled:
                                for sq in range(1, seqs + 1):
                                    rid = next_id("runtime_log")
                                    fin = "t" if (sq == seqs and reason == "finish") else "f"
                                    ch = [["cmi.location" if kind != "scorm12" else "cmi.core.lesson_location",
                                           "page-%d" % sq, 0]]
                                    if fin == "t":
                                        ch.append(["cmi.session_time" if kind != "scorm12" else "cmi.core.session_time",
                                                   iso_dur(rep) if kind != "scorm12" else cs_time(rep), 0])
                                    batch["runtime_log"].append("%d,%d,%d,%d,%d,%s,%s,0,%s" % (
                                        rid, lid, aid, sq, sq, ts(min(open_t + sq * 300, last_seen)),
                                        q(json.dumps(ch, ensure_ascii=False)), fin))
                            att_act_us += act_us
                            last_close = last_seen
                            if clock.get(uidx, 0) < last_beat:
                                clock[uidx] = last_beat
                            if started_t is None:
                                started_t = open_t
                        batch["launch"].extend(launch_rows)
                        ended = ts(sess[-1][0] + sess[-1][1]) if status == "completed" else ""
                        st = state_json(kind, status, success, score, "page-%d" % rnd.randint(1, 12), att_rep)
                        batch["sco_attempt"].append("%d,%d,%d,%d,%s,%d,%s,%s,%s,%s,%s,%s,%d" % (
                            aid, eid, o, an, q(st), len(sess), ts(sess[0][0]),
                            ts(sess[-1][0] + sess[-1][1]), ended, status, success,
                            "" if score is None else "%.4f" % score, att_rep))
                        item_active_us += att_act_us
                        item_reported += att_rep
                        item_status, item_success, item_score = status, success, score
                        e_active_us += att_act_us
                        e_reported_cs += att_rep
                        if stop:
                            break
                    if item_status is not None:
                        evidence_items.append((o, item_status, item_success, item_score,
                                               an, item_active_us))
                        if item_score is not None:
                            any_score.append(item_score)
                    if stop:
                        break
            if finished and (e_active_us // 1000000) < minimum:
                finished = False  # the minimum time not reached: no completion
            if finished and last_close is not None and last_close <= end_t:
                completed_t = last_close
            batch["enrolment"].append("%d,%d,%d,%d,%s,%s,%s,%s,%s,%s" % (
                eid, uidx, cid, vid, "assigned" if assigned else "self",
                (assigner.get(primary.get(home, top) if eday >= reform else top, "cb0000001")
                 if assigned else ""), due or "", ts(enr_t),
                ts(started_t) if started_t is not None else "",
                ts(completed_t) if completed_t is not None else ""))
            if completed_t is not None:
                passed = None
                if any(it[2] in ("passed", "failed") for it in evidence_items):
                    passed = True
                score = (sum(any_score) / len(any_score)) if any_score else None
                items_json = [{"identifier": "ITEM-%d" % (o + 1), "completion": stt,
                               "success": suc, "score": None if sc is None else round(sc, 4),
                               "attempts": att, "active_s": aus // 1000000}
                              for (o, stt, suc, sc, att, aus) in evidence_items]
                ev = {"rule": ("the lesson completed (every page seen, every quiz submitted), its quizzes passed, and the minimum active time"
                               if kind == "native" else
                               "the course completed by the SCORM rollup of its SCOs' statuses, not failed, and the minimum active time"),
                      "rollup": "passed" if passed else "completed", "items": items_json,
                      "active_s": e_active_us // 1000000, "minimum_time_s": minimum,
                      "reported_s": e_reported_cs // 100}
                coid = next_id("completion")
                batch["completion"].append("%d,%d,%d,%d,%d,%s,%s,%s,%d,%d,%s" % (
                    coid, eid, uidx, cid, vid, ts(completed_t),
                    "" if passed is None else "t", "" if score is None else "%.4f" % score,
                    e_active_us // 1000000, e_reported_cs // 100,
                    q(json.dumps(ev, ensure_ascii=False, separators=(",", ":")))))
        if len(batch["launch"]) >= 20000:
            flush()
    flush()
    out.copy("learner_clock", ["user_id", "counted_until"],
             ["%d,%s" % (u, ts(t)) for u, t in sorted(clock.items())])
    assessments(out, a.seed, win_start, today, city, [c[0] for c in courses])
    for t in ("org_unit", "person", "person_history", "app_user", "course", "course_version",
              "enrolment", "sco_attempt", "launch", "runtime_log", "completion"):
        out.sql("SELECT setval(pg_get_serial_sequence('%s', 'id'), %d);" % (t, max(ids[t], 1)))
    print("gen: %d units, %d people, %d roles, %d courses; %s" % (
        len(units), a.people, n_roles + len(w_rows), a.courses,
        ", ".join("%s %d" % kv for kv in sorted(out.counts.items()))), file=sys.stderr)


def assessments(out, seed, win_start, today, city, course_ids):
    """Quizzes and capability exams spanning the window (and the reform): in each half-year
    two quizzes of a course (open the whole half) and one exam (one morning, results
    published ten days later); attempts by a share of the people active on the roster that
    day, under their roster unit then, with scores in steps of 5 %; a few exam essays still
    waiting for a grade; and a talent-pool list proposed from each exam's best, mostly
    approved. Written as set-based SQL over the generated roster, so each attempt's unit is
    the roster's own; deterministic for a seed (hashes, not random())."""
    halves = []
    y, h = win_start.year, (1 if win_start.month <= 6 else 2)
    while True:
        first = dt.date(y, 1 if h == 1 else 7, 1)
        if first > today:
            break
        last = dt.date(y, 6, 30) if h == 1 else dt.date(y, 12, 31)
        halves.append((y, h, max(first, win_start), min(last, today)))
        y, h = (y, 2) if h == 1 else (y + 1, 1)
    rows = []
    for i, (y, h, first, last) in enumerate(halves):
        for k in (1, 2):
            cid = course_ids[(2 * i + k) % len(course_ids)] if course_ids else None
            rows.append("('GEN-KT-%d-%d-%d', 'quiz', 'Bài kiểm tra %d, %d/%d', %s, '%s 00:00+07', '%s 23:59+07', 0, 0.5, NULL)"
                        % (y, h, k, k, h, y, "NULL" if cid is None else cid, first.isoformat(), last.isoformat()))
        mid = first + (last - first) // 2
        if mid + dt.timedelta(days=10) <= today:
            rows.append("('GEN-SH-%d-%d', 'exam', 'Sát hạch năng lực CCHC %d/%d', NULL, '%s 08:00+07', '%s 11:00+07', 1, 0.6, '%s 09:00+07')"
                        % (y, h, h, y, mid.isoformat(), mid.isoformat(), (mid + dt.timedelta(days=10)).isoformat()))
    if not rows:
        return
    # "now" is the generated city's today, not the clock of the machine that loads it
    now = "'%s 23:59:59+07'::timestamptz" % today.isoformat()
    out.sql("CREATE TEMP TABLE gen_asm (code text, kind text, title text, course_id bigint, opens_at timestamptz, "
            "closes_at timestamptz, max_attempts int, pass_fraction float8, published timestamptz) ON COMMIT DROP;")
    out.sql("INSERT INTO gen_asm VALUES %s;" % ", ".join(rows))
    out.sql("""INSERT INTO assessment (code, kind, title, unit_id, course_id, status, opens_at, closes_at, time_limit_s,
  max_attempts, pass_fraction, show_score, show_answers, show_feedback, created_by, created_at, opened_at, opened_by,
  closed_at, closed_by, results_published_at, results_published_by)
SELECT g.code, g.kind, g.title, %d, g.course_id, CASE WHEN g.closes_at < now() THEN 'closed' ELSE 'open' END,
  g.opens_at, g.closes_at, CASE g.kind WHEN 'exam' THEN 7200 ELSE 1800 END, g.max_attempts, g.pass_fraction,
  CASE g.kind WHEN 'exam' THEN 'after_publish' ELSE 'after_submit' END,
  CASE g.kind WHEN 'exam' THEN 'after_publish' ELSE 'after_close' END,
  CASE g.kind WHEN 'exam' THEN 'after_publish' ELSE 'after_submit' END,
  'gen-dataset', g.opens_at - interval '7 days', g.opens_at, 'gen-dataset',
  CASE WHEN g.closes_at < now() THEN g.closes_at END, CASE WHEN g.closes_at < now() THEN 'gen-dataset' END,
  g.published, CASE WHEN g.published IS NOT NULL THEN 'gen-dataset' END FROM gen_asm g;""".replace("now()", now) % city)
    # who sits what: 6 % of the people for each quiz (a fifth of them twice), 30 % of the PAR
    # staff and leaders for each exam; the day and the time from hashes; the unit and the
    # audience of that day from the roster (person_history)
    out.sql("""INSERT INTO attempt (assessment_id, user_id, person_id, unit_id, attempt_no, seed, started_at,
  deadline_at, submitted_at, submitted_by, max_score, score, fraction, passed, needs_manual, graded_at)
SELECT x.aid, x.uid, x.pid, h.unit_id, x.no, x.hs, x.at - interval '25 minutes', x.at + interval '5 minutes', x.at,
  'learner', 20, x.f * 20, x.f, x.f >= x.pass - 1e-9, x.manual, x.at
FROM (SELECT a.id AS aid, u.id AS uid, u.person_id AS pid, n.no, a.pass_fraction AS pass,
        hashtext('%d:' || a.id || ':' || u.id || ':' || n.no)::bigint AS hs,
        CASE WHEN a.kind = 'exam' THEN a.opens_at + interval '35 minutes'
             + (abs(hashtext('t%d:' || a.id || ':' || u.id)) %% 7000) * interval '1 second'
             ELSE a.opens_at + (abs(hashtext('d%d:' || a.id || ':' || u.id)) %%
                  greatest(1, extract(epoch FROM least(a.closes_at, now()) - a.opens_at)::bigint - 3600)) * interval '1 second'
                  + (n.no - 1) * interval '2 days' END AS at,
        least(1.0, greatest(0.0, round((0.25 + 0.75 * ((abs(hashtext('s%d:' || a.id || ':' || u.id || ':' || n.no)) %% 1000)
          + (abs(hashtext('r%d:' || a.id || ':' || u.id || ':' || n.no)) %% 1000)) / 2000.0) * 20) / 20.0)) AS f,
        a.kind = 'exam' AND abs(hashtext('m%d:' || a.id || ':' || u.id)) %% 100 < 3 AS manual
      FROM assessment a JOIN app_user u ON u.person_id IS NOT NULL
      JOIN person p ON p.id = u.person_id
      CROSS JOIN LATERAL generate_series(1, CASE WHEN a.kind = 'quiz'
        AND abs(hashtext('2%d:' || a.id || ':' || u.id)) %% 5 = 0 THEN 2 ELSE 1 END) AS n(no)
     WHERE a.code LIKE 'GEN-%%' AND (
       (a.kind = 'quiz' AND abs(hashtext('q%d:' || a.id || ':' || u.id)) %% 100 < 6)
       OR (a.kind = 'exam' AND (p.par_role <> 'none' OR p.is_leader) AND abs(hashtext('e%d:' || a.id || ':' || u.id)) %% 100 < 30))) x
JOIN person_history h ON h.person_id = x.pid AND h.active
  AND h.valid_from <= (x.at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
  AND (h.valid_to IS NULL OR h.valid_to >= (x.at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)
WHERE x.at < now() - interval '1 hour';""".replace("now()", now) % ((seed,) * 9))
    # the talent pool: each published exam's best 12 final attempts, proposed a week after the
    # publication; two thirds approved (a leader track for the leaders and PAR staff with the
    # best ranks), some rejected, the last ones still waiting
    out.sql("""INSERT INTO talent_pool (assessment_id, person_id, attempt_id, track, rank, score, proposed_by, proposed_at,
  status, decided_by, decided_at, note)
SELECT r.aid, r.pid, r.tid, CASE WHEN r.rk % 3 = 0 THEN 'expert' ELSE 'leader' END, r.rk, r.score, 'gen-dataset',
  r.pub + interval '7 days',
  CASE WHEN r.rk <= 8 THEN 'approved' WHEN r.rk <= 10 THEN 'rejected' ELSE 'proposed' END,
  CASE WHEN r.rk <= 10 THEN 'gen-dataset' END, CASE WHEN r.rk <= 10 THEN r.pub + interval '21 days' END,
  CASE WHEN r.rk BETWEEN 9 AND 10 THEN 'Chưa đủ điều kiện về thời gian công tác' END
FROM (SELECT t.assessment_id AS aid, t.person_id AS pid, t.id AS tid, t.score, a.results_published_at AS pub,
        row_number() OVER (PARTITION BY t.assessment_id ORDER BY t.fraction DESC, t.submitted_at, t.id) AS rk
      FROM attempt t JOIN assessment a ON a.id = t.assessment_id
     WHERE a.code LIKE 'GEN-SH-%' AND a.results_published_at IS NOT NULL AND NOT t.needs_manual) r
WHERE r.rk <= 12 AND r.pub + interval '7 days' < now();""".replace("now()", now))
    out.sql("ANALYZE assessment; ANALYZE attempt; ANALYZE talent_pool;")


if __name__ == "__main__":
    main()
