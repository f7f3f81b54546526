// scope.test.mjs — who sees which units and people (docs/api.md, "GET /api/units",
// "GET /api/people"; PRODUCT.md: "An HR officer sees the subtree of the unit they belong
// to, never a neighbour's"), query validation, and Vietnamese order. Fixture: run.sh.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  A, PW, http, loginOk, assertProblem, assertClean, assertNoPinKeys, viCompare,
} from './lib.mjs';

// SNV's subtree (SNV and SNV-CCHC), in Vietnamese order: A < Ă < Â, D < Đ, E < Ê,
// O < Ô < Ơ, U < Ư, tone marks only after the letters (Ái < An), a space before any letter
// (Ma < Mạc, Ôn < Ông). Code-point order, or a collation without the Vietnamese
// tailoring, gets several of these wrong.
const SNV_PEOPLE = ['Ái Thị Ngọc', 'An Thị Hoa', 'Ăng Văn Bảy', 'Âu Thị Hạnh', 'Bùi Minh Tuấn',
  'Dương Quốc Khánh', 'Đặng Thu Trang', 'Đỗ Thị Dung', 'Đỗ Thị Đào', 'Em Thị Hồng', 'Êban Y Nô',
  'Lê Thị Ổn', 'Lê Thị Ơn', 'Ma Văn Đức', 'Mạc Văn Dũng', 'Ôn Như Hầu', 'Ông Văn Tài', 'Uông Thị Lan',
  'Ưng Hoàng Phúc'];
const CCHC_PEOPLE = ['Âu Thị Hạnh', 'Bùi Minh Tuấn', 'Đặng Thu Trang', 'Đỗ Thị Dung', 'Đỗ Thị Đào',
  'Em Thị Hồng', 'Êban Y Nô', 'Lê Thị Ổn', 'Ông Văn Tài', 'Ưng Hoàng Phúc'];
const STC_PEOPLE = ['Âu Văn Cường', 'Lý Văn Ngoài', 'Nguyễn Văn Học'];
const OTHER_PEOPLE = ['Phan Văn Quận', 'Trịnh Thị Phường'];
const ALL_PEOPLE = [...SNV_PEOPLE, ...STC_PEOPLE, ...OTHER_PEOPLE].sort(viCompare);
const ALL_UNITS = ['HCM', 'SNV', 'SNV-CCHC', 'STC', 'STC-KH', 'Q1', 'P-SG'];

const s = {};
before(async () => {
  s.hr = (await loginOk(A, 'nhansu', PW.hr)).cookie; // hr_officer of SNV
  s.hr2 = (await loginOk(A, 'nhansu2', PW.hr2)).cookie; // hr_officer of STC and of Q1
  s.trainer = (await loginOk(A, 'giangvien', PW.trainer)).cookie; // trainer of SNV
  s.learner = (await loginOk(A, 'hocvien', PW.learner)).cookie;
  s.admin = (await loginOk(A, 'quantri', PW.admin)).cookie;
});

async function get(who, path) {
  const r = await http(A, path, { cookie: s[who] });
  assertClean(r.text, `${who} ${path}`);
  if (r.json) assertNoPinKeys(r.json);
  return r;
}

async function people(who, query = '') {
  const r = await get(who, `/api/people${query}`);
  assert.equal(r.status, 200, `${who} /api/people${query}: ${r.text}`);
  assert.match(r.headers.get('content-type'), /^application\/json\b/);
  return r.json;
}

async function units(who) {
  const r = await get(who, '/api/units');
  assert.equal(r.status, 200, `${who} /api/units: ${r.text}`);
  return r.json.units;
}

test('the expected order is the Vietnamese rule (self-check of the fixture)', () => {
  assert.deepEqual([...SNV_PEOPLE].sort(viCompare), SNV_PEOPLE);
  assert.deepEqual([...SNV_PEOPLE].reverse().sort(viCompare), SNV_PEOPLE);
  // and not code-point order, so the test can tell the two apart
  assert.notDeepEqual([...SNV_PEOPLE].sort(), SNV_PEOPLE);
});

test('an hr_officer of SNV sees the units of SNV\'s subtree only', async () => {
  const us = await units('hr');
  assert.deepEqual(us.map((u) => u.code).sort(), ['SNV', 'SNV-CCHC']);
  assert.deepEqual(us.map((u) => u.name), ['Phòng Cải cách hành chính', 'Sở Nội vụ'], 'Vietnamese order of name');
  const snv = us.find((u) => u.code === 'SNV');
  assert.deepEqual(snv, { code: 'SNV', name: 'Sở Nội vụ', kind: 'department', parent_code: 'HCM',
    parent_name: 'Thành phố Hồ Chí Minh', valid_from: '2008-01-01', valid_to: null, successor_codes: [] });
});

test('an hr_officer of SNV sees SNV\'s people, in Vietnamese order, and never a neighbour\'s', async () => {
  const p = await people('hr');
  const names = p.people.map((x) => x.full_name);
  assert.deepEqual(names, SNV_PEOPLE);
  assert.equal(p.total, SNV_PEOPLE.length);
  for (const x of p.people) {
    assert.ok(['SNV', 'SNV-CCHC'].includes(x.unit_code), `${x.full_name} of ${x.unit_code}`);
    assert.ok(!STC_PEOPLE.includes(x.full_name) && !OTHER_PEOPLE.includes(x.full_name));
  }
  const dang = p.people.find((x) => x.employee_code === 'NV-0003');
  assert.deepEqual(dang, { employee_code: 'NV-0003', full_name: 'Đặng Thu Trang', unit_code: 'SNV-CCHC',
    unit_name: 'Phòng Cải cách hành chính', position: 'Trưởng phòng', is_leader: true, par_role: 'dedicated',
    active: true });
});

test('?unit= narrows to a subtree inside the reach', async () => {
  const p = await people('hr', '?unit=SNV-CCHC');
  assert.deepEqual(p.people.map((x) => x.full_name), CCHC_PEOPLE);
  assert.equal(p.total, CCHC_PEOPLE.length);
  assert.deepEqual((await people('hr', '?unit=SNV')).people.map((x) => x.full_name), SNV_PEOPLE);
});

test('?unit= outside the reach is 403 forbidden; an unknown unit is 404', async () => {
  for (const u of ['STC', 'STC-KH', 'HCM', 'Q1']) {
    assertProblem(await get('hr', `/api/people?unit=${u}`), 403, 'forbidden', { what: `?unit=${u}` });
  }
  assertProblem(await get('hr', '/api/people?unit=NOPE'), 404, 'not_found', { what: '?unit=NOPE' });
  assertProblem(await get('admin', '/api/people?unit=NOPE'), 404, 'not_found', { what: 'admin ?unit=NOPE' });
});

test('a malformed ?unit= is 422 invalid_field', async () => {
  for (const q of ['?unit=', '?unit=a%20b', `?unit=${'X'.repeat(33)}`, "?unit=SNV'--", '?unit=%C4%90']) {
    assertProblem(await get('hr', `/api/people${q}`), 422, 'invalid_field', { field: 'unit', what: q });
  }
});

test('limit must be 1 to 500 and offset a whole number ≥ 0 (else 422 invalid_field)', async () => {
  for (const q of ['limit=0', 'limit=100000', 'limit=abc', 'limit=-1', 'limit=501', 'limit=1.5', 'limit=',
    'limit=10abc', 'limit=99999999999999999999999']) {
    assertProblem(await get('hr', `/api/people?${q}`), 422, 'invalid_field', { field: 'limit', what: q });
  }
  for (const q of ['offset=-1', 'offset=abc', 'offset=']) {
    assertProblem(await get('hr', `/api/people?${q}`), 422, 'invalid_field', { field: 'offset', what: q });
  }
  assert.equal((await people('hr', '?limit=500')).people.length, SNV_PEOPLE.length);
  assert.equal((await people('hr', '?limit=1')).people.length, 1);
});

test('limit and offset page through the same order; total is the whole count', async () => {
  const seen = [];
  for (let off = 0; off < SNV_PEOPLE.length; off += 4) {
    const p = await people('hr', `?limit=4&offset=${off}`);
    assert.equal(p.total, SNV_PEOPLE.length);
    assert.ok(p.people.length <= 4);
    seen.push(...p.people.map((x) => x.full_name));
  }
  assert.deepEqual(seen, SNV_PEOPLE);
  const past = await people('hr', '?offset=1000');
  assert.deepEqual(past.people, []);
  assert.equal(past.total, SNV_PEOPLE.length);
});

test('a neighbour department\'s hr_officer sees only their own subtrees (STC and Q1)', async () => {
  const us = await units('hr2');
  assert.deepEqual(us.map((u) => u.code).sort(), ['Q1', 'STC', 'STC-KH']);
  const p = await people('hr2');
  assert.deepEqual(p.people.map((x) => x.full_name), ['Âu Văn Cường', 'Lý Văn Ngoài', 'Nguyễn Văn Học', 'Phan Văn Quận']);
  for (const u of ['SNV', 'SNV-CCHC', 'P-SG']) {
    assertProblem(await get('hr2', `/api/people?unit=${u}`), 403, 'forbidden', { what: `hr2 ?unit=${u}` });
  }
});

test('a trainer sees the units of their subtree but not people', async () => {
  const us = await units('trainer');
  assert.deepEqual(us.map((u) => u.code).sort(), ['SNV', 'SNV-CCHC']);
  assertProblem(await get('trainer', '/api/people'), 403, 'forbidden');
});

test('a learner gets 403 forbidden on /api/units and /api/people', async () => {
  assertProblem(await get('learner', '/api/units'), 403, 'forbidden', { what: 'units' });
  assertProblem(await get('learner', '/api/people'), 403, 'forbidden', { what: 'people' });
  assertProblem(await get('learner', '/api/people?unit=STC-KH'), 403, 'forbidden', { what: 'people of own unit' });
});

test('without a session, /api/units and /api/people are 401', async () => {
  assertProblem(await http(A, '/api/units'), 401, 'unauthenticated');
  assertProblem(await http(A, '/api/people'), 401, 'unauthenticated');
});

test('an admin sees every unit, with validity dates and successors', async () => {
  const us = await units('admin');
  assert.deepEqual(us.map((u) => u.code).sort(), [...ALL_UNITS].sort());
  const names = us.map((u) => u.name);
  assert.deepEqual(names, [...names].sort(viCompare), 'Vietnamese order of name');
  const q1 = us.find((u) => u.code === 'Q1');
  assert.equal(q1.kind, 'district');
  assert.equal(q1.valid_to, '2025-06-30');
  assert.deepEqual(q1.successor_codes, ['P-SG']);
  const hcm = us.find((u) => u.code === 'HCM');
  assert.equal(hcm.parent_code, null);
  assert.equal(hcm.parent_name ?? null, null);
  assert.equal(hcm.valid_from, '1976-07-02');
});

test('an admin sees every person, in Vietnamese order', async () => {
  const p = await people('admin');
  assert.deepEqual(p.people.map((x) => x.full_name), ALL_PEOPLE);
  assert.equal(p.total, ALL_PEOPLE.length);
  assert.deepEqual((await people('admin', '?unit=STC')).people.map((x) => x.full_name), STC_PEOPLE);
});
