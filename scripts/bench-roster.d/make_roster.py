#!/usr/bin/env python3
"""make_roster.py — writes a synthetic city roster for scripts/bench-roster: the city, 30
departments with 4 offices each, 168 wards / communes / the special zone (new, from
1 July 2025), 22 old districts with 10 wards each (ended 30 June 2025, each with a successor),
40 positions, and N people (default 150,000) spread over the current units, with random but
reproducible names, PINs, positions, leader flags and PAR roles.

  make_roster.py OUT.json [N] [--move PERCENT] [--generated-at T]

--move moves that share of people to another unit (valid_from 2025-09-01), for a second,
changing import."""
import json
import random
import sys

args = [a for a in sys.argv[1:] if not a.startswith("--")]
out, n = args[0], int(args[1]) if len(args) > 1 else 150000
move = 0.0
generated = "2025-08-01T08:00:00+07:00"
for i, a in enumerate(sys.argv):
    if a == "--move":
        move = float(sys.argv[i + 1]) / 100
    if a == "--generated-at":
        generated = sys.argv[i + 1]
rnd = random.Random(20251128)
moves = random.Random(7)  # its own stream: --move changes nothing else
fam = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
       "Hồ", "Ngô", "Dương", "Lý"]
mid = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc", "Đức", "Thu", "Hoàng", "Quốc"]
giv = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hòa", "Hùng", "Lan", "Linh", "Long",
       "Mai", "Nam", "Nga", "Phúc", "Phương", "Quân", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến"]
units = [{"code": "HCM", "name": "Thành phố Hồ Chí Minh", "kind": "city", "parent_code": None}]
current = []
for d in range(1, 31):
    code = f"S{d:02d}"
    units.append({"code": code, "name": f"Sở số {d}", "kind": "department", "parent_code": "HCM"})
    current.append(code)
    for o in range(1, 5):
        units.append({"code": f"{code}-P{o}", "name": f"Phòng {o} của Sở số {d}", "kind": "office",
                      "parent_code": code})
        current.append(f"{code}-P{o}")
for w in range(1, 169):
    kind = "special_zone" if w == 168 else ("commune" if w > 113 else "ward")
    units.append({"code": f"W{w:03d}", "name": f"{'Phường' if kind == 'ward' else 'Xã'} số {w}",
                  "kind": kind, "parent_code": "HCM", "valid_from": "2025-07-01"})
    current.append(f"W{w:03d}")
for q in range(1, 23):
    units.append({"code": f"Q{q:02d}", "name": f"Quận {q}", "kind": "district", "parent_code": "HCM",
                  "valid_to": "2025-06-30", "successor_codes": [f"W{q:03d}"]})
    for w in range(1, 11):
        units.append({"code": f"Q{q:02d}-P{w:02d}", "name": f"Phường {w} Quận {q}", "kind": "ward",
                      "parent_code": f"Q{q:02d}", "valid_to": "2025-06-30",
                      "successor_codes": [f"W{(q * 7 + w) % 168 + 1:03d}"]})
positions = [{"code": f"CD{p:02d}", "name": f"Chức danh {p}"} for p in range(1, 41)]
people = []
for i in range(n):
    unit = current[rnd.randrange(len(current))]
    frm = "2025-07-01" if unit.startswith("W") else f"20{rnd.randrange(15, 25)}-0{rnd.randrange(1, 10)}-15"
    p = {"employee_code": f"NV{i:07d}", "pin": f"099{i:09d}",
         "full_name": f"{rnd.choice(fam)} {rnd.choice(mid)} {rnd.choice(giv)}",
         "unit_code": unit, "position_code": f"CD{rnd.randrange(1, 41):02d}",
         "is_leader": rnd.random() < 0.08, "par_role": rnd.choice(["none"] * 6 + ["concurrent"] * 3 + ["dedicated"]),
         "active": True, "valid_from": frm}
    if rnd.random() < 0.5:
        p["email"] = f"nv{i}@example.gov.vn"
    if move and moves.random() < move:
        p["unit_code"] = current[moves.randrange(len(current))]
        p["valid_from"] = "2025-09-01"
    people.append(p)
json.dump({"format": "parlearn-roster", "version": 1, "generated_at": generated,
           "source": "bench", "units": units, "positions": positions, "people": people},
          open(out, "w", encoding="utf-8"), ensure_ascii=False)
