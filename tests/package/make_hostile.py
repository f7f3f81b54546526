#!/usr/bin/env python3
"""make_hostile.py OUTDIR — writes the corpus of hostile and broken course-package zips that
tests/unit/test_package_zip.c checks (driven by tests/package/zip.sh).

Standard library only. Each file is named after what it tries; the C test knows, for each,
which report code it must get and which entry it must name. Nothing here is ever extracted
by this script.
"""
import io
import os
import struct
import sys
import zipfile
import zlib

VALID_FILES = {
    "imsmanifest.xml": b'<?xml version="1.0" encoding="UTF-8"?>\n<manifest identifier="m1"/>\n',
    "index.html": b"<!doctype html><title>Ch\xc3\xa0o</title><p>Xin ch\xc3\xa0o</p>\n",
    "lessons/one/page.html": b"<p>Trang 1</p>\n" * 100,
}


def zinfo(name, system=3, mode=0o100644, date=(2024, 1, 1, 0, 0, 0)):
    zi = zipfile.ZipInfo(name, date_time=date)
    zi.create_system = system
    zi.external_attr = (mode & 0xFFFF) << 16
    zi.compress_type = zipfile.ZIP_DEFLATED
    return zi


def write_zip(path, entries):
    """entries: list of (ZipInfo or name, bytes)."""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are the point of some files
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for info, data in entries:
                if isinstance(info, str):
                    info = zinfo(info)
                z.writestr(info, data)


def patch_name(path, old, new):
    """Replaces a file name in both the local and the central header (same length)."""
    assert len(old) == len(new)
    data = open(path, "rb").read()
    assert data.count(old) == 2, (path, data.count(old))
    open(path, "wb").write(data.replace(old, new))


def patch_sizes(path, name, usize):
    """Sets the uncompressed size of entry `name` to usize in the local and central headers
    (the CRC stays that of the real data)."""
    data = bytearray(open(path, "rb").read())
    bname = name.encode()
    # local header: sig 0x04034b50, uncompressed size at offset 22
    pos = 0
    while True:
        pos = data.find(b"PK\x03\x04", pos)
        if pos < 0:
            break
        nlen = struct.unpack_from("<H", data, pos + 26)[0]
        if bytes(data[pos + 30:pos + 30 + nlen]) == bname:
            struct.pack_into("<I", data, pos + 22, usize)
        pos += 4
    pos = 0
    while True:
        pos = data.find(b"PK\x01\x02", pos)
        if pos < 0:
            break
        nlen = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46:pos + 46 + nlen]) == bname:
            struct.pack_into("<I", data, pos + 24, usize)
        pos += 4
    open(path, "wb").write(bytes(data))


def set_flag_bit0(path, name):
    """Marks entry `name` as encrypted (general-purpose bit 0) in both headers."""
    data = bytearray(open(path, "rb").read())
    bname = name.encode()
    for sig, flag_off, nlen_off, name_off in ((b"PK\x03\x04", 6, 26, 30),
                                              (b"PK\x01\x02", 8, 28, 46)):
        pos = 0
        while True:
            pos = data.find(sig, pos)
            if pos < 0:
                break
            nlen = struct.unpack_from("<H", data, pos + nlen_off)[0]
            if bytes(data[pos + name_off:pos + name_off + nlen]) == bname:
                flags = struct.unpack_from("<H", data, pos + flag_off)[0]
                struct.pack_into("<H", data, pos + flag_off, flags | 1)
            pos += 4
    open(path, "wb").write(bytes(data))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_hostile.py OUTDIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    p = lambda n: os.path.join(out, n)

    base = [("imsmanifest.xml", VALID_FILES["imsmanifest.xml"])]

    # A valid small package, with a directory entry and a nested folder.
    entries = [("imsmanifest.xml", VALID_FILES["imsmanifest.xml"]),
               ("index.html", VALID_FILES["index.html"]),
               (zinfo("lessons/", mode=0o040755), b""),
               ("lessons/one/page.html", VALID_FILES["lessons/one/page.html"])]
    write_zip(p("valid.zip"), entries)

    write_zip(p("traversal.zip"), base + [("../../evil.txt", b"pwned\n")])
    write_zip(p("traversal_mid.zip"), base + [("a/../../evil2.txt", b"pwned\n")])
    write_zip(p("absolute.zip"), base + [("/etc/passwd-x", b"root::0:0::/:/bin/sh\n")])
    write_zip(p("drive_letter.zip"), base + [("C:/x.html", b"<p>x</p>\n")])
    write_zip(p("backslash.zip"), base + [("a\\b.html", b"<p>b</p>\n")])
    write_zip(p("symlink.zip"), base + [(zinfo("link", mode=0o120777), b"/etc/passwd")])
    write_zip(p("fifo.zip"), base + [(zinfo("pipe", mode=0o010644), b"")])
    write_zip(p("duplicate.zip"), base + [("index.html", b"one\n"), ("index.html", b"two\n")])
    write_zip(p("duplicate_normalised.zip"), base + [("index.html", b"one\n"),
                                                     ("./index.html", b"two\n")])
    write_zip(p("case.zip"), base + [("Index.html", b"one\n"), ("index.HTML", b"two\n")])

    write_zip(p("encrypted.zip"), base + [("secret.html", b"<p>secret</p>\n")])
    set_flag_bit0(p("encrypted.zip"), "secret.html")

    # Zip bomb: 50 MB of zeros, deflated (about 50 KB, a ratio near 1000).
    bomb = b"\0" * (50 * 1000 * 1000)
    write_zip(p("bomb.zip"), base + [("zeros.bin", bomb)])
    # The same bomb declaring only 9 MB (under a 10 MB limit, and a ratio under 200): only
    # extraction can find out, and must stop there.
    write_zip(p("bomb_liar.zip"), base + [("zeros.bin", bomb)])
    patch_sizes(p("bomb_liar.zip"), "zeros.bin", 9 * 1000 * 1000)
    del bomb

    # An entry that declares 10 bytes but holds 5,000.
    write_zip(p("size_lie.zip"), base + [("big.html", b"<p>lie</p>\n" * 455)])
    patch_sizes(p("size_lie.zip"), "big.html", 10)

    # More entries than the test limit (the test sets max_entries to 50).
    write_zip(p("many.zip"), base + [("f%03d.txt" % i, b"x") for i in range(60)])

    # Truncated: the valid package cut in half (no end of central directory).
    data = open(p("valid.zip"), "rb").read()
    open(p("truncated.zip"), "wb").write(data[:len(data) // 2])
    # Not a zip at all.
    open(p("not_a_zip.zip"), "wb").write(b"<html>this is not a zip file</html>\n" * 20)
    # An empty zip (just the end-of-central-directory record).
    write_zip(p("empty.zip"), [])

    # A NUL byte in a name (patched in after writing, same length as "a_b.html").
    write_zip(p("nul_name.zip"), base + [("a_b.html", b"<p>nul</p>\n")])
    patch_name(p("nul_name.zip"), b"a_b.html", b"a\0b.html")
    # A control character (ESC) in a name.
    write_zip(p("control_name.zip"), base + [("a_b.html", b"<p>esc</p>\n")])
    patch_name(p("control_name.zip"), b"a_b.html", b"a\x1bb.html")
    # A name that is not UTF-8 (Latin-1 0xE9).
    write_zip(p("not_utf8.zip"), base + [("caf_.html", b"<p>x</p>\n")])
    patch_name(p("not_utf8.zip"), b"caf_.html", b"caf\xe9.html")
    # A name longer than the limit (600 bytes).
    write_zip(p("long_name.zip"), base + [("d/" * 299 + "xx", b"x")])

    print("wrote %d files to %s" % (len(os.listdir(out)), out))


if __name__ == "__main__":
    main()
