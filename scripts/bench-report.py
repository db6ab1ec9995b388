#!/usr/bin/env python3
"""Tables and plots from wt-bench results.

usage: bench-report.py DIR ARCH KERNEL...
       bench-report.py --summary DIR ARCH...

Reads DIR/ARCH-KERNEL.tsv ("@bench" lines of wt-bench), prints one table per
figure with a column per kernel and a ratio column (patched / upstream),
writes them to DIR/report-ARCH.md, and plots the scan-and-reset cycle
against range size and written share (DIR/ARCH-cycle-*.png and .svg), and
the cost of arming an untouched range and of scanning it against its size
(DIR/ARCH-armed.png and .svg), when gnuplot is installed.

--summary prints README's table instead: PAGEMAP_SCAN with WP_ASYNC on the
patched kernel against upstream, a column per arch.
"""
import os
import shutil
import subprocess
import sys

METHODS = ["scan", "pagemap57", "sync", "softdirty", "mprotect", "none",
           "pagemap"]
TITLES = {
    1: "Figure 1: scan-and-reset cycle over anon memory, us per cycle "
       "(ms per GiB for the patched kernel)",
    2: "Figure 2: one tracked write, ns per 4K page (every page written once "
       "after arming; hugetlb faults once per 2M), and the page faults "
       "counted per page (/proc/vmstat pgfault; a SIGSEGV is not counted)",
    3: "Figure 3: arming an untouched range, ms and PageTables growth (kB); "
       "on the range the scan method armed, a PAGEMAP_SCAN for written "
       "pages, the first write into each 1G span, the first and the second "
       "write into 1 2M span in 64, the scan again, and the first write "
       "into a span armed with PTE markers (a page of it left out)",
    4: "Figure 4: residency of a sparse range (1% populated in 64K pieces), "
       "ms per scan: PAGEMAP_SCAN for PRESENT|SWAPPED against pagemap",
}

FIG3_UNITS = {
    "ms": "ms",
    "PageTables_kB": "PageTables kB",
    "scan_armed_us": "scan of the armed range, us",
    "first_write_ns": "first write into a span, ns",
    "next_write_ns": "second write into a span, ns",
    "scan_written_us": "scan with 1 span in 64 written, us",
    "pte_first_write_ns": "first write into a span of PTE markers, ns",
    "pud_first_write_ns": "first write into a 1G span, ns",
}


def load(path):
    rows = {}
    if not os.path.exists(path):
        return rows
    for line in open(path):
        f = line.split()
        if len(f) != 11 or f[0] != "@bench":
            continue
        fig, method, mem, size, share, unit = (int(f[1]), f[2], f[3],
                                               float(f[4]), int(f[5]), f[6])
        rows[(fig, method, mem, size, share, unit)] = (
            float(f[7]), float(f[8]), float(f[9]), f[10])
    return rows


def fmt_num(v):
    if v >= 100:
        return "%.0f" % v
    if v >= 10:
        return "%.1f" % v
    return "%.2f" % v


def cell(r):
    if r is None:
        return "-"
    med, lo, hi, st = r
    if st == "unsupported":
        return "n/a"
    s = "%s [%s-%s]" % (fmt_num(med), fmt_num(lo), fmt_num(hi))
    if st != "ok":
        s = "WRONG (%s) %s" % (st, s)
    return s


def ratio(a, b):
    if not a or not b or a[3] != "ok" or b[3] != "ok" or b[0] <= 0:
        return "-"
    return "%.2fx" % (a[0] / b[0])


def size_label(mib):
    return "%g GiB" % (mib / 1024) if mib >= 1024 else "%g MiB" % mib


def key_label(k):
    fig, method, mem, size, share, unit = k
    if fig == 1:
        return "%s, %s, %g%% written" % (method, size_label(size), share / 10)
    if fig == 2:
        return "%s, %s%s" % (method, mem, "" if unit == "ns/page"
                             else ", page faults per page")
    if fig == 3:
        return "%s, %s %s, %s" % (method, mem, size_label(size),
                                  FIG3_UNITS.get(unit, unit))
    return "%s, %s virtual" % (method, size_label(size))


def sort_key(k):
    fig, method, mem, size, share, unit = k
    mi = METHODS.index(method) if method in METHODS else 99
    if fig == 1:
        return (fig, size, share, mi)
    if fig == 2:
        return (fig, unit != "ns/page", mem, mi)
    return (fig, mem, size, unit, mi)


def tables(data, kernels):
    keys = set()
    for rows in data.values():
        keys.update(k for k in rows if not (k[0] == 1 and k[5] != "us/cycle"))
    out = []
    for fig in sorted({k[0] for k in keys}):
        out.append("### " + TITLES.get(fig, "Figure %d" % fig))
        out.append("")
        head = ["case"] + kernels
        if "upstream" in kernels and "patched" in kernels:
            head.append("patched / upstream")
        if fig == 1:
            head.append("patched ms/GiB")
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "---|" * len(head))
        for k in sorted((k for k in keys if k[0] == fig), key=sort_key):
            rs = [data[n].get(k) for n in kernels]
            row = [key_label(k)] + [cell(r) for r in rs]
            if "upstream" in kernels and "patched" in kernels:
                row.append(ratio(data["patched"].get(k),
                                 data["upstream"].get(k)))
            if fig == 1:
                p = data.get("patched", {}).get(k)
                row.append(fmt_num(p[0] / 1000 / (k[3] / 1024))
                           if p and p[3] == "ok" else "-")
            out.append("| " + " | ".join(row) + " |")
        out.append("")
    return out


def gnuplot(d, name, title, xlabel, ylabel, series):
    """Plot series, each (title, colour, dash, [(x, median, lo, hi)...]),
    log-log with min-max bars, to d/name.png and .svg; returns the images."""
    dat = os.path.join(d, name + ".dat")
    with open(dat, "w") as f:
        for t, _, _, pts in series:
            f.write("# %s\n" % t)
            for p in pts:
                f.write("%g %g %g %g\n" % p)
            f.write("\n\n")
    plots = ["'%s' index %d using 1:2:3:4 with yerrorlines linecolor %d "
             "dashtype %d title '%s'" % (dat, i, c, dash, t)
             for i, (t, c, dash, _) in enumerate(series)]
    made = []
    for term, ext in (("pngcairo size 900,600", "png"),
                      ("svg size 900,600", "svg")):
        img = os.path.join(d, "%s.%s" % (name, ext))
        script = "\n".join([
            "set terminal %s noenhanced" % term,
            "set output '%s'" % img,
            "set title '%s'" % title,
            "set logscale xy", "set key outside right",
            "set xlabel '%s'" % xlabel,
            "set ylabel '%s'" % ylabel,
            "plot " + ", ".join(plots)])
        subprocess.run(["gnuplot"], input=script, text=True, check=True)
        made.append(img)
    return made


def plot(data, kernels, d, arch):
    if not shutil.which("gnuplot"):
        print("bench-report: no gnuplot; plots skipped")
        return []
    made = []
    f1 = [k for n in kernels for k in data[n] if k[0] == 1
          and k[5] == "us/cycle"]
    sizes = sorted({k[3] for k in f1})
    shares = sorted({k[4] for k in f1})
    if sizes:
        share = 10 if 10 in shares else shares[0]
        size = sizes[-1]
        for name, xs, xlabel, pick in (
                ("size", sizes, "range size (MiB)",
                 lambda x: (x, share)),
                ("written", shares, "pages written (per mille)",
                 lambda x: (size, x))):
            series = []
            for n in kernels:
                for m in METHODS:
                    pts = []
                    for x in xs:
                        sz, sh = pick(x)
                        r = data[n].get((1, m, "anon", sz, sh, "us/cycle"))
                        if r and r[3] == "ok" and r[0] > 0:
                            pts.append((x, r[0], r[1], r[2]))
                    # colour by method, dashes by kernel
                    if pts:
                        series.append(("%s %s" % (m, n), METHODS.index(m) + 1,
                                       kernels.index(n) + 1, pts))
            title = ("scan-and-reset cycle, %s, %g%% written"
                     % (arch, share / 10) if name == "size" else
                     "scan-and-reset cycle, %s, %s range"
                     % (arch, size_label(size)))
            made += gnuplot(d, "%s-cycle-%s" % (arch, name), title, xlabel,
                            "us per cycle (median, min-max)", series)
    # Figure 3: what arming an untouched range with WP_ASYNC costs, and a
    # scan of it, against its size; colour by cost and memory, dashes by
    # kernel (PMD markers make both flat where upstream's grow)
    series = []
    for n in kernels:
        for c, (unit, what, scale) in enumerate((
                ("ms", "arm", 1), ("scan_armed_us", "scan", 1e-3))):
            for mi, mem in enumerate(("anon", "shmem")):
                pts = []
                for k in sorted(k for k in data[n] if k[:3] == (3, "scan", mem)
                                and k[5] == unit):
                    r = data[n][k]
                    if r[3] == "ok" and r[0] > 0:
                        pts.append((k[3], r[0] * scale, r[1] * scale,
                                    r[2] * scale))
                if pts:
                    series.append(("%s %s %s" % (what, mem, n), 2 * c + mi + 1,
                                   kernels.index(n) + 1, pts))
    if series:
        made += gnuplot(d, "%s-armed" % arch,
                        "arming an untouched range (WP_ASYNC) and scanning "
                        "it, %s" % arch, "range size (MiB)",
                        "ms (median, min-max)", series)
    return made


def summary(d, arches):
    data = {a: (load(os.path.join(d, "%s-patched.tsv" % a)),
                load(os.path.join(d, "%s-upstream.tsv" % a))) for a in arches}
    keys = set()
    for p, u in data.values():
        keys.update(k for k in p if k[1] == "scan" and k in u and
                    (k[5] in ("us/cycle", "ns/page", "ms") or
                     (k[0] == 3 and k[5] in FIG3_UNITS)))
    names = {1: "scan and reset, %s, %g%% written (us)",
             2: "async write fault, %s (ns per 4K page)",
             3: "untouched %s %s: %s",
             4: "residency scan, %s virtual, 1%% populated (ms)"}
    out = ["| PAGEMAP_SCAN, WP_ASYNC | " +
           " | ".join("%s: patched / upstream" % a for a in arches) + " |",
           "|---|" + "---|" * len(arches)]
    for k in sorted(keys, key=sort_key):
        fig, _, mem, size, share, unit = k
        if fig == 3:
            args = (mem, size_label(size),
                    "arm, ms" if unit == "ms" else FIG3_UNITS[unit])
        else:
            args = {1: (size_label(size), share / 10), 2: (mem,),
                    4: (size_label(size),)}[fig]
        row = [names[fig] % args]
        for a in arches:
            p, u = data[a][0].get(k), data[a][1].get(k)
            r = ratio(p, u)
            row.append("-" if r == "-" else "%s / %s = **%s**"
                       % (fmt_num(p[0]), fmt_num(u[0]), r))
        out.append("| " + " | ".join(row) + " |")
    print("\n".join(out))


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "--summary":
        summary(sys.argv[2], sys.argv[3:])
        return
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    d, arch, kernels = sys.argv[1], sys.argv[2], sys.argv[3:]
    data = {n: load(os.path.join(d, "%s-%s.tsv" % (arch, n)))
            for n in kernels}
    kernels = [n for n in kernels if data[n]]
    out = ["## wt-bench on %s" % arch, "",
           "Median of the repetitions, [min-max]. n/a: the kernel lacks the "
           "method. WRONG: the method reported unwritten pages (coarse) or "
           "missed written ones. The guest runs under emulation (QEMU TCG), "
           "so absolute numbers are noisy and slow: compare kernels by the "
           "ratio, measured in the same run.", ""]
    out += tables(data, kernels)
    made = plot(data, kernels, d, arch)
    rep = os.path.join(d, "report-%s.md" % arch)
    with open(rep, "w") as f:
        f.write("\n".join(out) + "\n")
    print("\n".join(out))
    print("bench-report: %s%s" % (rep, "".join(", " + m for m in made)))


if __name__ == "__main__":
    main()
