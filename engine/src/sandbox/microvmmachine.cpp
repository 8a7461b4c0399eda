#include "sandbox/microvmmachine.h"

#include <algorithm>

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

std::vector<std::string> qemuArguments(const MicroVmLaunch &launch)
{
    const auto &shape = launch.shape;
    const std::string memory = std::to_string(shape.memoryMb) + "M";
    std::vector<std::string> args{
        launch.qemu.string(), "-name", launch.name, "-nodefaults", "-no-user-config", "-nographic",
        "-no-reboot", "-m", memory, "-smp", std::to_string(shape.vcpus),
    };
    // No ACPI and no PCI: devices are virtio-mmio, announced on the kernel command line.
    std::string machine = "microvm,acpi=off,x-option-roms=off,rtc=off,pic=off";
    if (!launch.ramFile.empty()) {
        machine += ",memory-backend=ram";
        args.insert(args.end(), {"-object", "memory-backend-file,id=ram,size=" + memory +
                                                ",mem-path=" + optionValue(launch.ramFile.string()) +
                                                ",share=" + (launch.shareRam ? "on" : "off")});
    }
    args.insert(args.end(), {"-M", machine});
    if (shape.accel == "kvm")
        args.insert(args.end(), {"-accel", "kvm", "-cpu", "host"});
    else
        // A smaller translation cache than the default 1 GiB keeps an idle VM's RSS down.
        args.insert(args.end(), {"-accel", "tcg,tb-size=64", "-cpu", "max"});

    args.insert(args.end(),
                {"-kernel", launch.kernel.string(), "-append",
                 "console=ttyS0 quiet loglevel=3 root=/dev/vda ro rootfstype=squashfs "
                 "init=/usr/sbin/lambdesk-init panic=-1 nokaslr no_timer_check "
                 "random.trust_cpu=on 8250.nr_uarts=1"});
    args.insert(args.end(), {"-chardev", "file,id=console,path=" + optionValue(launch.consoleLog.string()),
                             "-serial", "chardev:console"});
    args.insert(args.end(), {"-drive", "id=root,file=" + optionValue(launch.rootfs.string()) +
                                           ",format=raw,if=none,readonly=on,cache=unsafe",
                             "-device", "virtio-blk-device,drive=root"});
    args.insert(args.end(), {"-chardev", "socket,id=channel,fd=" + std::to_string(launch.serialFd),
                             "-device", "virtio-serial-device,max_ports=1",
                             "-device", "virtserialport,chardev=channel,name=lambdesk"});
    for (const auto &[tag, dir] : launch.exports) {
        args.insert(args.end(), {"-fsdev", "local,id=fs" + tag + ",path=" + optionValue(dir.string()) +
                                               ",security_model=none,readonly=on",
                                 "-device", "virtio-9p-device,fsdev=fs" + tag + ",mount_tag=" + tag});
    }
    if (shape.network)
        args.insert(args.end(), {"-netdev", "user,id=net0", "-device", "virtio-net-device,netdev=net0"});
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
