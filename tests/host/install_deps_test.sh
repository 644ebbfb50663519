#!/usr/bin/env bash
# The dependency probes of scripts/install-deps.sh, run against fake tools
# on PATH: a tool that exists but does not work must count as missing.
# The first case is the bug that broke fresh machines: gcc without
# gcc-multilib prints the 64-bit libgcc.a for -print-file-name, so a
# "does the file exist" check passed and the kernel link failed.
set -u
cd "$(dirname "$0")/../.."
passed=0 failed=0
fake=$(mktemp -d)
trap 'rm -rf "$fake"' EXIT

INSTALL_DEPS_LIB=1 source scripts/install-deps.sh
set +e

# check NAME EXPECTED(0 works, 1 fails) PROBE
check() {
	local name=$1 want=$2 probe=$3 got=0
	( "probe_$probe" ) >/dev/null 2>&1 || got=1
	if [ "$got" = "$want" ]; then
		passed=$((passed + 1))
	else
		echo "not ok $name: probe_$probe gave $got, expected $want"
		failed=$((failed + 1))
	fi
}

# A gcc as Debian's is without gcc-multilib: native builds work, -m32
# compiles but the link cannot find a 32-bit libgcc, and
# -print-file-name=libgcc.a answers with the 64-bit file, which exists.
real_gcc=$(command -v gcc)
cat > "$fake/gcc" <<FAKE
#!/usr/bin/env bash
for a in "\$@"; do
	case "\$a" in
	-print-file-name=libgcc.a) echo /usr/lib/gcc/x86_64-linux-gnu/12/libgcc.a; exit 0 ;;
	-m32) m32=1 ;;
	-lgcc) lgcc=1 ;;
	esac
done
if [ -n "\${m32-}" ] && [ -n "\${lgcc-}" ]; then
	echo "/usr/bin/ld: skipping incompatible .../12/libgcc.a when searching for -lgcc" >&2
	echo "/usr/bin/ld: cannot find -lgcc: No such file or directory" >&2
	exit 1
fi
exec $real_gcc "\$@"
FAKE
chmod +x "$fake/gcc"

# Emulators and tools that are on PATH but broken (a stale wrapper, a
# missing shared library): they exist, they do not run.
for tool in qemu-system-i386 xorriso grub-mkrescue; do
	printf '#!/bin/sh\necho "error while loading shared libraries" >&2\nexit 127\n' \
		> "$fake/$tool"
	chmod +x "$fake/$tool"
done

saved_path=$PATH
PATH="$fake:$saved_path"
check "gcc without multilib: no 32-bit libgcc" 1 cc_m32_libgcc
check "gcc without multilib: native still works" 0 cc_native
check "qemu-system-i386 that does not run" 1 qemu_i386
check "xorriso that does not run" 1 xorriso
check "grub-mkrescue that does not run" 1 grub_mkrescue
m=$(missing_packages)
for pkg in gcc-multilib qemu-system-x86 xorriso grub-common; do
	if grep -qx "$pkg" <<<"$m"; then
		passed=$((passed + 1))
	else
		echo "not ok missing_packages omits $pkg (said: $(echo $m))"
		failed=$((failed + 1))
	fi
done
if [ "$(grep -cx qemu-system-x86 <<<"$m")" = 1 ]; then
	passed=$((passed + 1))
else
	echo "not ok a package whose two probes fail is listed once"
	failed=$((failed + 1))
fi
PATH=$saved_path

# On this machine (make test installed everything first) the real tools pass.
check "the real gcc links -m32 with -lgcc" 0 cc_m32_libgcc
check "the real qemu-system-i386 runs" 0 qemu_i386
check "the real bochs runs" 0 bochs

echo "install-deps probes: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
