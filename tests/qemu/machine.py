"""Turn a configuration (configs.py) into an emulator command line.

Shared by harness.py (tests) and bench.py (timings), so both boot exactly
the same machines.
"""
import os
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
KERNEL = os.path.join(ROOT, "build", "kernel.elf")
ISO_DIR = os.path.join(ROOT, "build", "test-iso")
BOCHSRC = os.path.join(ROOT, "tests", "qemu", "bochsrc.txt")
BOCHS_RC = os.path.join(ROOT, "tests", "qemu", "bochs-debugger.rc")
DEFAULT_INITRD = os.path.join(ROOT, "build", "initrd.cpio")

# QEMU exits with (value << 1) | 1 for a write of value to isa-debug-exit;
# arch/i386/power.c writes 0x10 (pass) or 0x11 (fail).
QEMU_EXIT_PASS = 33
QEMU_EXIT_FAIL = 35

# Bochs prints this in its log when the kernel writes "Shutdown" to 0x8900.
BOCHS_SHUTDOWN = "Shutdown port: shutdown requested"


def iso_path(cfg):
    return os.path.join(ISO_DIR, cfg.name + ".iso")


def make_iso(cfg, initrd):
    """Build the GRUB ISO a cdrom or Bochs configuration boots."""
    args = [os.path.join(ROOT, "scripts", "mkiso.sh"), iso_path(cfg), cfg.cmdline]
    if initrd:
        args.append(initrd)
    subprocess.run(args, cwd=ROOT, check=True)


def memory_mib(size):
    """QEMU's "128M" / "3G" -> MiB."""
    units = {"M": 1, "G": 1024}
    return int(size[:-1]) * units[size[-1].upper()]


def qemu_accel(cfg, accel):
    """The -accel value: TCG runs one host thread per vCPU when there are
    several (multi-threaded TCG), so the guest's CPUs really run at once."""
    if accel == "tcg" and cfg.smp > 1:
        return "tcg,thread=multi"
    return accel


def numa_args(cfg):
    """QEMU arguments for cfg.nodes: one RAM backend per node (lazily
    reserved with cfg.lazy_ram) holding an equal share of cfg.memory, the
    node's CPUs, and cfg.distances as -numa dist (QEMU then publishes a
    SLIT; without distances it publishes only the SRAT)."""
    share = memory_mib(cfg.memory) // len(cfg.nodes)
    reserve = ",reserve=off" if cfg.lazy_ram else ""
    args = []
    for i, cpus in enumerate(cfg.nodes):
        args += ["-object", f"memory-backend-ram,id=m{i},size={share}M{reserve}",
                 "-numa", f"node,nodeid={i},memdev=m{i},cpus={cpus}"]
    for src, dst, val in cfg.distances:
        args += ["-numa", f"dist,src={src},dst={dst},val={val}"]
    return args


def qemu_command(cfg, serial, accel="tcg", initrd=None, serial_stdio=False, monitor=None,
                 kernel=KERNEL):
    """The QEMU command for cfg, its COM1 going to the file serial; with
    monitor, QEMU's monitor listens on that Unix socket (for a post-mortem
    of a hang).  kernel: another kernel to boot -kernel (make run boots
    Debian's Linux on the same machines)."""
    cmd = [cfg.qemu, "-accel", qemu_accel(cfg, accel), "-smp", str(cfg.smp),
           "-display", "none", "-no-reboot",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    cmd += ["-serial", "stdio" if serial_stdio else "file:" + serial]
    if monitor:
        cmd += ["-monitor", f"unix:{monitor},server,nowait"]
    elif not serial_stdio:
        cmd += ["-monitor", "none"]
    if cfg.nodes:
        cmd += numa_args(cfg)
    elif cfg.lazy_ram:
        cmd += ["-object", f"memory-backend-ram,id=ram0,size={cfg.memory},reserve=off",
                "-machine", "pc,memory-backend=ram0"]
    cmd += ["-m", cfg.memory]
    if cfg.boot == "kernel":
        cmd += ["-kernel", kernel, "-append", cfg.cmdline]
        if initrd:
            cmd += ["-initrd", initrd]
    elif cfg.boot == "cdrom":
        cmd += ["-cdrom", iso_path(cfg), "-boot", "d"]
    else:
        raise ValueError(f"{cfg.name}: QEMU cannot boot '{cfg.boot}'")
    return cmd + list(cfg.extra)


def bochs_command(cfg, serial, bochs_log):
    """The Bochs command and environment for cfg (tests/qemu/bochsrc.txt)."""
    env = dict(os.environ,
               UKVA_ISO=iso_path(cfg), UKVA_SERIAL=serial,
               UKVA_MEGS=str(memory_mib(cfg.memory)), UKVA_CPUS=str(cfg.smp),
               UKVA_LOG=bochs_log,
               TERM=os.environ.get("TERM") or "dumb")   # its curses display needs one
    cmd = ["bochs", "-q", "-f", BOCHSRC, "-rc", BOCHS_RC]
    return cmd, env
