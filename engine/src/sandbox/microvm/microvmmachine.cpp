#include "sandbox/microvm/microvmmachine.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <thread>
#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace lambdesk::engine {

int MicroVmShape::vcpusFor(int memoryMb)
{
    return std::clamp((memoryMb + 1768) / 1769, 1, 6);
}

namespace {

// QEMU option values separate with ','; a literal comma is doubled.
std::string optionValue(const std::string &text)
{
    std::string out;
    for (char c : text) {
        out += c;
        if (c == ',')
            out += ',';
    }
    return out;
}

} // namespace

std::uint64_t hostTscKhz()
{
#if defined(__x86_64__)
    static const std::uint64_t khz = [] {
        auto nowNs = [] {
            timespec ts{};
            ::clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
            return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000ull +
                   static_cast<std::uint64_t>(ts.tv_nsec);
        };
        const std::uint64_t t0 = nowNs();
        const std::uint64_t c0 = __rdtsc();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        const std::uint64_t t1 = nowNs();
        const std::uint64_t c1 = __rdtsc();
        return t1 > t0 ? (c1 - c0) * 1000000ull / (t1 - t0) : 0;
    }();
    return khz;
#else
    return 0;
#endif
}

std::vector<std::string> qemuArguments(const MicroVmLaunch &launch)
{
    const auto &shape = launch.shape;
    const std::string memory = std::to_string(shape.memoryMb) + "M";
    std::vector<std::string> args{
        launch.qemu.string(),
        "-name",
        launch.name,
        "-nodefaults",
        "-no-user-config",
        "-nographic",
        "-no-reboot",
        "-m",
        memory,
        "-smp",
        std::to_string(shape.vcpus),
    };
    // No ACPI and no PCI: devices are virtio-mmio, announced on the kernel command line.
    std::string machine = "microvm,acpi=off,x-option-roms=off,rtc=off";
    if (!launch.ramFile.empty()) {
        machine += ",memory-backend=ram";
        args.insert(args.end(),
                    {"-object", "memory-backend-file,id=ram,size=" + memory +
                                    ",mem-path=" + optionValue(launch.ramFile.string()) +
                                    ",share=" + (launch.shareRam ? "on" : "off")});
    }
    args.insert(args.end(), {"-M", machine});
    if (shape.accel == "kvm")
        args.insert(args.end(), {"-accel", "kvm", "-cpu", "host"});
    else
        // A smaller translation cache than the default 1 GiB keeps an idle VM's RSS down.
        args.insert(args.end(), {"-accel", "tcg,tb-size=32", "-cpu", "max"});

    std::string cmdline = "console=ttyS0 quiet loglevel=3 root=/dev/vda ro rootfstype=squashfs "
                          "init=/usr/sbin/lambdesk-init panic=-1 no_timer_check 8250.nr_uarts=1";
    if (shape.accel != "kvm") {
        // Under TCG the guest TSC ticks at the host's rate, but calibrating it against the PIT
        // fails on a busy host and microvm has no HPET to refine it: the guest would fall back to
        // a 10 ms jiffies clock. Tell it the frequency instead.
        if (const auto khz = hostTscKhz(); khz > 0)
            cmdline += " tsc_early_khz=" + std::to_string(khz) + " tsc=reliable";
    }
    args.insert(args.end(), {"-kernel", launch.kernel.string(), "-append", cmdline});
    args.insert(args.end(),
                {"-chardev", "file,id=console,path=" + optionValue(launch.consoleLog.string()),
                 "-serial", "chardev:console"});
    args.insert(args.end(), {"-drive",
                             "id=root,file=" + optionValue(launch.rootfs.string()) +
                                 ",format=raw,if=none,readonly=on,cache=unsafe",
                             "-device", "virtio-blk-device,drive=root"});
    if (!launch.functionImage.empty())
        args.insert(args.end(), {"-drive",
                                 "id=fn,file=" + optionValue(launch.functionImage.string()) +
                                     ",format=raw,if=none,readonly=on,cache=unsafe",
                                 "-device", "virtio-blk-device,drive=fn"});
    args.insert(args.end(), {"-chardev", "socket,id=channel,fd=" + std::to_string(launch.serialFd),
                             "-device", "virtio-serial-device,max_ports=2", "-device",
                             "virtserialport,chardev=channel,name=lambdesk"});
    for (const auto &[tag, dir] : launch.exports) {
        args.insert(args.end(),
                    {"-fsdev",
                     "local,id=fs" + tag + ",path=" + optionValue(dir.string()) +
                         ",security_model=none,readonly=on",
                     "-device", "virtio-9p-device,fsdev=fs" + tag + ",mount_tag=" + tag});
    }
    if (shape.network)
        args.insert(args.end(),
                    {"-netdev", "user,id=net0", "-device", "virtio-net-device,netdev=net0"});
    if (launch.qmpFd >= 0)
        args.insert(args.end(), {"-chardev", "socket,id=qmp,fd=" + std::to_string(launch.qmpFd),
                                 "-mon", "chardev=qmp,mode=control"});
    if (!launch.incomingState.empty()) {
        // The device state is fed over QMP (MicroVmSnapshots::restore), after x-ignore-shared is
        // set: QEMU 7.2 has no command-line switch for that capability.
        args.insert(args.end(), {"-incoming", "defer"});
    }
    return args;
}

} // namespace lambdesk::engine
