"""A real CUPS printer that writes PDF files, for the printing tests.

The printing tests print through the system's print service exactly as an
office desk does, to Debian's cups-pdf printer driver, and read back what it
wrote.  Set up needs nothing by hand:

1. `cupsd` must be installed (Debian's `cups` and `printer-driver-cups-pdf`,
   which `scripts/install-system-deps.sh` installs); without them the tests
   are skipped, or fail when PRAVERKA_REQUIRE_CUPS=1 (CI).
2. The scheduler is started if it is not running (`cupsd` daemonises
   itself; only root may start it).  It is left running afterwards: it is
   the machine's own print service, not a private copy.
3. The queue `PRINTER` is added with the cups-pdf driver if missing, and
   enabled and set to accept jobs if it was not.  Adding it again is harmless.
4. cups-pdf writes each job as a PDF into the directory named by `Out` in
   /etc/cups/cups-pdf.conf (Debian: `${HOME}/PDF` of the user who printed,
   so /root/PDF under root), or into `AnonDirName` for jobs it cannot
   attribute to a user.  The file name contains the job's title, lower-cased
   and with some characters replaced, so each test prints under a unique
   title and `wait_for_output` looks for that.

cups-pdf turns the job into PostScript and back into PDF with Ghostscript,
which keeps the pages but not the text layer of a PDF printed in Cyrillic,
so the tests compare the printed pages as pictures.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PRINTER = "PraverkaPDF"
REQUIRE_ENV = "PRAVERKA_REQUIRE_CUPS"
CUPS_PDF_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")
CUPS_LOG_DIR = Path("/var/log/cups")
SYSTEM_BIN = ("/usr/sbin", "/usr/bin", "/sbin", "/bin")
_C_LOCALE = {**os.environ, "LC_ALL": "C", "LANG": "C"}


class CupsUnavailable(RuntimeError):
    """The print service could not be made ready; the message says what to do."""


def required() -> bool:
    return os.environ.get(REQUIRE_ENV, "") not in ("", "0")


def _tool(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for folder in SYSTEM_BIN:  # /usr/sbin is not on every PATH
        candidate = Path(folder) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def missing() -> str | None:
    """Why CUPS with its PDF printer cannot be used here; None when it is installed."""
    absent = [name for name in ("cupsd", "lpadmin", "lpstat", "lpinfo") if _tool(name) is None]
    if absent:
        return f"CUPS is not installed (no {', '.join(absent)}): install Debian's cups"
    if not CUPS_PDF_BACKEND.exists():
        return "the cups-pdf printer driver is not installed: install printer-driver-cups-pdf"
    return None


def _run(*args: str, check: bool = True, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    tool = _tool(args[0])
    if tool is None:
        raise CupsUnavailable(f"{args[0]} is not installed")
    done = subprocess.run(
        [tool, *args[1:]],
        capture_output=True,
        text=True,
        env=_C_LOCALE,
        timeout=timeout,
        check=False,
    )
    if check and done.returncode != 0:
        raise CupsUnavailable(
            f"`{' '.join(args)}` failed ({done.returncode}): {(done.stderr or done.stdout).strip()}"
        )
    return done


def scheduler_running() -> bool:
    return "scheduler is running" in _run("lpstat", "-r", check=False).stdout


def ensure_scheduler(timeout: float = 30) -> None:
    """Start cupsd unless it runs; wait until it answers."""
    if scheduler_running():
        return
    if os.geteuid() != 0:
        raise CupsUnavailable(
            "the CUPS scheduler is not running and only root can start it: "
            "run `sudo service cups start` (or `sudo cupsd`) and try again"
        )
    # Without -f, cupsd detaches once it is listening; no init system is needed.
    started = _run("cupsd", check=False, timeout=timeout)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if scheduler_running():
            return
        time.sleep(0.2)
    raise CupsUnavailable(
        f"cupsd did not start within {timeout:.0f} s (exit {started.returncode}: "
        f"{(started.stderr or started.stdout).strip()}); see {CUPS_LOG_DIR / 'error_log'}"
    )


def _cups_pdf_driver() -> str:
    """The PPD name of the cups-pdf driver, as `lpinfo -m` lists it."""
    models = [
        line.split(" ", 1)[0] for line in _run("lpinfo", "-m", timeout=120).stdout.splitlines()
    ]
    for wanted in ("CUPS-PDF_opt.ppd", "CUPS-PDF_noopt.ppd"):
        for model in models:
            if model.endswith(wanted):
                return model
    raise CupsUnavailable(
        "CUPS lists no cups-pdf driver (lpinfo -m): reinstall printer-driver-cups-pdf"
    )


def _queue_device(name: str) -> str | None:
    """The device URI of queue `name`, or None when there is no such queue."""
    done = _run("lpstat", "-v", name, check=False)
    match = re.search(rf"device for {re.escape(name)}:\s*(\S+)", done.stdout)
    return match.group(1) if match else None


def add_pdf_queue(name: str) -> None:
    """A cups-pdf queue called `name`, enabled and accepting jobs (added only if missing)."""
    device = _queue_device(name)
    if device is not None and not device.startswith("cups-pdf:"):
        raise CupsUnavailable(
            f"a printer called {name} exists but prints to {device}, not cups-pdf; "
            "the tests will not print on it"
        )
    if device is None:
        _run("lpadmin", "-p", name, "-E", "-v", "cups-pdf:/", "-m", _cups_pdf_driver())
    # An existing queue may have been stopped or set to reject jobs.
    _run("cupsenable", name)
    _run("cupsaccept", name)


def remove_queue(name: str) -> None:
    _run("lpadmin", "-x", name, check=False)


def _config_value(text: str, key: str) -> str | None:
    value = None
    for line in text.splitlines():
        parts = line.strip().split(None, 1)
        if len(parts) == 2 and parts[0] == key:  # "#Out ..." is a comment
            value = parts[1].strip()
    return value


def output_dirs(queue: str) -> tuple[Path, ...]:
    """Where cups-pdf writes this user's jobs for `queue`, most likely first."""
    # cups-pdf reads a per-queue file when there is one, else the shared one.
    conf = CUPS_PDF_CONF.with_name(f"cups-pdf-{queue}.conf")
    text = ""
    for candidate in (conf, CUPS_PDF_CONF):
        with contextlib.suppress(OSError):
            text = candidate.read_text(encoding="utf-8", errors="replace")
            break
    account = pwd.getpwuid(os.getuid())
    out = _config_value(text, "Out") or "/var/spool/cups-pdf/${USER}"
    out = out.replace("${HOME}", account.pw_dir).replace("${USER}", account.pw_name)
    anonymous = _config_value(text, "AnonDirName") or "/var/spool/cups-pdf/ANONYMOUS"
    return (Path(out), Path(anonymous))


def unique_title(prefix: str) -> str:
    """A job title cups-pdf keeps recognisable in the file name (it lower-cases titles)."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}".lower()


def _complete_pdf(path: Path) -> bool:
    # Ghostscript writes the final file in place: it is whole once it ends with %%EOF.
    try:
        with path.open("rb") as stream:
            stream.seek(0, os.SEEK_END)
            size = stream.tell()
            stream.seek(max(0, size - 64))
            return size > 0 and b"%%EOF" in stream.read()
    except OSError:
        return False


@dataclass(frozen=True)
class PdfPrinter:
    """A CUPS queue whose jobs land as PDF files in `dirs`."""

    name: str
    dirs: tuple[Path, ...]

    def find_output(self, title: str) -> Path | None:
        for folder in self.dirs:
            with contextlib.suppress(OSError):
                for path in folder.iterdir():
                    if title in path.name.lower() and path.suffix.lower() == ".pdf":
                        return path
        return None

    def wait_for_output(self, title: str, timeout: float = 90) -> Path:
        """The PDF cups-pdf wrote for the job titled `title`, once complete."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.find_output(title)
            if found is not None and _complete_pdf(found):
                return found
            time.sleep(0.25)
        raise AssertionError(
            f"cups-pdf wrote no file for the job {title!r} in "
            f"{', '.join(map(str, self.dirs))} within {timeout:.0f} s.\n"
            f"{self.diagnosis()}"
        )

    def diagnosis(self) -> str:
        """What CUPS says about the queue and its jobs, and the ends of its logs."""
        parts = [
            _run("lpstat", "-p", self.name, check=False).stdout.strip(),
            "jobs not completed:\n" + _run("lpstat", "-o", self.name, check=False).stdout.strip(),
        ]
        for log in (
            CUPS_LOG_DIR / f"cups-pdf-{self.name}_log",
            CUPS_LOG_DIR / "cups-pdf_log",
            CUPS_LOG_DIR / "error_log",
        ):
            with contextlib.suppress(OSError):
                lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
                parts.append(f"{log} (last lines):\n" + "\n".join(lines[-15:]))
        return "\n".join(parts)


def pdf_printer(name: str = PRINTER) -> PdfPrinter:
    """Make the cups-pdf queue `name` ready (scheduler started, queue added) and return it."""
    ensure_scheduler()
    add_pdf_queue(name)
    return PdfPrinter(name=name, dirs=output_dirs(name))


@contextlib.contextmanager
def temporary_queue(prefix: str = "PraverkaTmp") -> Iterator[PdfPrinter]:
    """A queue of its own, for a test that stops it or makes it refuse jobs; removed after."""
    name = f"{prefix}{uuid.uuid4().hex[:8]}"
    printer = pdf_printer(name)
    try:
        yield printer
    finally:
        remove_queue(name)
