// fixture.mjs — what run.sh puts in the server, as the tests expect to see it.
// Keep in step with run.sh.

// Units the HR officer (scope SNV) sees, in Vietnamese order of name.
export const HR_UNITS = ['Phòng Cải cách hành chính', 'Sở Nội vụ'];

// Every unit (the admin's view), in Vietnamese order: "Phòng" < "Phường" (o < ư).
export const ALL_UNITS = ['Phòng Cải cách hành chính', 'Phường Sài Gòn', 'Quận 1', 'Sở Nội vụ',
  'Sở Tài chính', 'Thành phố Hồ Chí Minh'];

// People of SNV's subtree in Vietnamese order: A < Ă < Â, D < Đ, E < Ê, O < Ô, U < Ư,
// with tone marks below letters (Ái < An). Code-point order, or a collation without the
// Vietnamese tailoring, would put Đặng before Dương, Êban before Em, Ưng before Uông.
export const HR_PEOPLE = ['Ái Thị Ngọc', 'An Thị Hoa', 'Ăng Văn Bảy', 'Âu Thị Hạnh', 'Bùi Minh Tuấn',
  'Dương Quốc Khánh', 'Đặng Thu Trang', 'Em Thị Hồng', 'Êban Y Nô', 'Ông Văn Tài', 'Uông Thị Lan',
  'Ưng Hoàng Phúc'];

// People outside SNV (in Sở Tài chính): only the admin sees them.
export const OTHER_PEOPLE = ['Lý Văn Ngoài', 'Nguyễn Văn Học'];

export const ALL_PEOPLE = ['Ái Thị Ngọc', 'An Thị Hoa', 'Ăng Văn Bảy', 'Âu Thị Hạnh', 'Bùi Minh Tuấn',
  'Dương Quốc Khánh', 'Đặng Thu Trang', 'Em Thị Hồng', 'Êban Y Nô', 'Lý Văn Ngoài', 'Nguyễn Văn Học',
  'Ông Văn Tài', 'Uông Thị Lan', 'Ưng Hoàng Phúc'];

// Display names given to the accounts.
export const DISPLAY = {
  learner: 'Nguyễn Văn Học',
  trainer: 'Lê Minh Giảng',
  hr_officer: 'Trần Thị Bích',
  admin: 'Phạm Quản Trị',
};

// Course packages the trainer tests upload (run.sh builds 5s.zip; the samples are the real
// SCORM packages of ../shared/scorm-samples).
const PKG_DIR = process.env.PL_PKG_DIR || '';
const SAMPLES = process.env.PL_SCORM_SAMPLES || '';
export const PACKAGES = {
  // content/courses/5s-scorm12: valid, no warnings; its manifest identifier is its course code
  fiveS: { path: `${PKG_DIR}/5s.zip`, code: 'vn.hcm.parlearn.5s-scorm12',
    title: 'Phương pháp 5S tại nơi làm việc', kind: 'SCORM 1.2' },
  // the Golf sample: valid SCORM 1.2, uploaded under a code of our choosing
  golf: { path: `${SAMPLES}/ContentPackagingSingleSCO_SCORM12.zip`, code: 'GOLF-1.2', kind: 'SCORM 1.2' },
  // a manifest without its launch file: refused with one error
  invalid: { path: `${SAMPLES}/MinimalValid_SCORM20043rdEdition.zip`,
    problem: 'launch_file_missing', where: 'imsmanifest.xml:19' },
  notZip: { path: `${PKG_DIR}/notes.txt` },
};
