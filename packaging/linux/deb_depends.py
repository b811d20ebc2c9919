"""What a frozen bundle needs from the system: ``ldd`` over every ELF file in it.

    python packaging/linux/deb_depends.py BUNDLE_DIR

Prints one line, the Debian ``Depends`` value (the packages owning each system library the
bundle links), and exits 1 naming any library that is found neither in the bundle nor on this
system (a trim that went too far, or a missing system package), so the build stops there.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

_ELF = b"\x7fELF"
#: Found by the loader, never packaged separately (or provided by the kernel).
_IGNORED = ("linux-vdso.so", "ld-linux", "linux-gate.so")


def elf_files(bundle: Path) -> list[Path]:
    out = []
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink():
            try:
                with path.open("rb") as f:
                    if f.read(4) == _ELF:
                        out.append(path)
            except OSError:
                continue
    return sorted(out)


def system_libraries(bundle: Path) -> tuple[set[str], dict[str, list[str]]]:
    """(system library paths the bundle links, {missing library: [who needs it]})."""
    files = elf_files(bundle)
    lib_dirs = sorted({str(p.parent) for p in files if ".so" in p.name})
    env = dict(os.environ, LD_LIBRARY_PATH=":".join(lib_dirs))
    root = str(bundle.resolve())
    found: set[str] = set()
    missing: dict[str, list[str]] = {}
    for path in files:
        r = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env)
        for line in r.stdout.splitlines():
            line = line.strip()
            if "=>" not in line:
                continue
            name, _, rest = line.partition("=>")
            name, target = name.strip(), rest.strip().split(" (")[0].strip()
            if any(name.startswith(i) for i in _IGNORED):
                continue
            if target == "not found":
                missing.setdefault(name, []).append(str(path.relative_to(bundle)))
            elif target and not os.path.realpath(target).startswith(root):
                found.add(target)
    return found, missing


def owning_package(path: str) -> str | None:
    candidates = {path, os.path.realpath(path)}
    for p in list(candidates):
        if p.startswith("/usr/"):
            candidates.add(p[4:])
        else:
            candidates.add("/usr" + p)
    for p in sorted(candidates):
        r = subprocess.run(["dpkg", "-S", p], capture_output=True, text=True)
        if r.returncode == 0 and ":" in r.stdout:
            pkg = r.stdout.split(":", 1)[0].strip()
            return pkg.split(",")[0].strip()
    return None


def main(bundle: Path) -> int:
    libs, missing = system_libraries(bundle)
    if missing:
        for name, users in sorted(missing.items()):
            print(f"missing library {name}, needed by {', '.join(users[:3])}", file=sys.stderr)
        return 1
    packages = set()
    for lib in sorted(libs):
        pkg = owning_package(lib)
        if pkg is None:
            print(f"no package owns {lib}; not listed in Depends", file=sys.stderr)
        else:
            packages.add(pkg)
    print(", ".join(sorted(packages)))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
