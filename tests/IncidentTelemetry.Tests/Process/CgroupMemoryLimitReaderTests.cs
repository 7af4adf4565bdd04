using IncidentTelemetry.Process;

namespace IncidentTelemetry.Tests.Process;

/// <summary>The cgroup files as Linux lays them out, written under a temporary root.</summary>
public sealed class CgroupMemoryLimitReaderTests : IDisposable
{
    private const string V2MountInfo = "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n";
    private const string V1MountInfo = "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
        + "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n";

    private readonly TempDirectory root = new("it-cgroup-");

    public void Dispose() => this.root.Dispose();

    [Fact]
    public void Read_V2Limit_ReturnsBytesWithV2Source()
    {
        this.Write("proc/self/cgroup", "0::/kubepods/pod1/ctr\n");
        this.Write("proc/self/mountinfo", V2MountInfo);
        this.Write("sys/fs/cgroup/kubepods/pod1/ctr/memory.max", "2147483648\n");

        var limit = new CgroupMemoryLimitReader(this.root.Path).Read();

        Assert.Equal(new MemoryLimit(2147483648, MemoryLimitSource.CgroupV2), limit);
    }

    [Fact]
    public void Read_V2MaxEverywhere_ReturnsNull()
    {
        this.Write("proc/self/cgroup", "0::/user.slice/session-1.scope\n");
        this.Write("proc/self/mountinfo", V2MountInfo);
        this.Write("sys/fs/cgroup/user.slice/session-1.scope/memory.max", "max\n");
        this.Write("sys/fs/cgroup/user.slice/memory.max", "max\n");

        Assert.Null(new CgroupMemoryLimitReader(this.root.Path).Read());
    }

    [Fact]
    public void Read_V2NestedParentTighter_ReturnsParentLimit()
    {
        // A pod-level limit above a container that has none of its own (or a looser one).
        this.Write("proc/self/cgroup", "0::/kubepods.slice/pod7.slice/cri-abc.scope\n");
        this.Write("proc/self/mountinfo", V2MountInfo);
        this.Write("sys/fs/cgroup/kubepods.slice/pod7.slice/cri-abc.scope/memory.max", "max\n");
        this.Write("sys/fs/cgroup/kubepods.slice/pod7.slice/memory.max", "1073741824\n");
        this.Write("sys/fs/cgroup/kubepods.slice/memory.max", "8589934592\n");

        var limit = new CgroupMemoryLimitReader(this.root.Path).Read();

        Assert.Equal(new MemoryLimit(1073741824, MemoryLimitSource.CgroupV2), limit);
    }

    [Fact]
    public void Read_V2NamespacedRoot_ReadsMountPointItself()
    {
        // Inside a cgroup namespace the process sees itself at "/" and the mount is its own cgroup.
        this.Write("proc/self/cgroup", "0::/\n");
        this.Write("proc/self/mountinfo", V2MountInfo);
        this.Write("sys/fs/cgroup/memory.max", "536870912\n");

        var limit = new CgroupMemoryLimitReader(this.root.Path).Read();

        Assert.Equal(new MemoryLimit(536870912, MemoryLimitSource.CgroupV2), limit);
    }

    [Fact]
    public void Read_V1Limit_ReturnsBytesWithV1Source()
    {
        this.Write("proc/self/cgroup", "12:cpu,cpuacct:/docker/abc\n4:memory:/docker/abc\n0::/\n");
        this.Write("proc/self/mountinfo", V1MountInfo);
        this.Write("sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes", "2147483648\n");
        this.Write("sys/fs/cgroup/memory/docker/memory.limit_in_bytes", "9223372036854771712\n");
        this.Write("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");

        var limit = new CgroupMemoryLimitReader(this.root.Path).Read();

        Assert.Equal(new MemoryLimit(2147483648, MemoryLimitSource.CgroupV1), limit);
    }

    [Fact]
    public void Read_V1HugeValue_ReturnsNull()
    {
        this.Write("proc/self/cgroup", "4:memory:/system.slice/app.service\n");
        this.Write("proc/self/mountinfo", V1MountInfo);
        this.Write("sys/fs/cgroup/memory/system.slice/app.service/memory.limit_in_bytes", "9223372036854771712\n");

        Assert.Null(new CgroupMemoryLimitReader(this.root.Path).Read());
    }

    [Fact]
    public void Read_V1MountRootIsSubtree_StripsMountRoot()
    {
        // No cgroup namespace: /proc/self/cgroup shows the host path, the mount only its subtree.
        this.Write("proc/self/cgroup", "4:memory:/kubepods/burstable/pod9/ctr\n");
        this.Write("proc/self/mountinfo", "35 31 0:32 /kubepods/burstable/pod9/ctr /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory\n");
        this.Write("sys/fs/cgroup/memory/memory.limit_in_bytes", "268435456\n");

        var limit = new CgroupMemoryLimitReader(this.root.Path).Read();

        Assert.Equal(new MemoryLimit(268435456, MemoryLimitSource.CgroupV1), limit);
    }

    [Fact]
    public void Read_HybridHierarchy_PrefersV1MemoryController()
    {
        this.Write("proc/self/cgroup", "4:memory:/app\n0::/app\n");
        this.Write("proc/self/mountinfo", V1MountInfo + "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n");
        this.Write("sys/fs/cgroup/memory/app/memory.limit_in_bytes", "104857600\n");

        var limit = new CgroupMemoryLimitReader(this.root.Path).Read();

        Assert.Equal(new MemoryLimit(104857600, MemoryLimitSource.CgroupV1), limit);
    }

    [Fact]
    public void Read_NoMountInfo_UsesConventionalMountPoint()
    {
        this.Write("proc/self/cgroup", "0::/app\n");
        this.Write("sys/fs/cgroup/app/memory.max", "1048576\n");

        var limit = new CgroupMemoryLimitReader(this.root.Path).Read();

        Assert.Equal(new MemoryLimit(1048576, MemoryLimitSource.CgroupV2), limit);
    }

    [Fact]
    public void Read_NoProcFiles_ReturnsNull()
    {
        Assert.Null(new CgroupMemoryLimitReader(this.root.Path).Read());
    }

    [Fact]
    public void Read_GarbageInLimitFile_ThrowsFormatException()
    {
        this.Write("proc/self/cgroup", "0::/app\n");
        this.Write("sys/fs/cgroup/app/memory.max", "lots\n");

        Assert.Throws<FormatException>(() => new CgroupMemoryLimitReader(this.root.Path).Read());
    }

    [Theory]
    [InlineData("max", null)]
    [InlineData("max\n", null)]
    [InlineData("0\n", 0L)]
    [InlineData("2147483648\n", 2147483648L)]
    public void ParseV2_Values_ReturnLimit(string text, long? expected)
    {
        Assert.Equal(expected, CgroupMemoryLimitReader.ParseV2(text));
    }

    [Theory]
    [InlineData("9223372036854771712\n", null)]
    [InlineData("9223372036854775807", null)]
    [InlineData("18446744073709551615", null)]
    [InlineData("-1", null)]
    [InlineData("4611686018427387903", 4611686018427387903L)]
    [InlineData("536870912\n", 536870912L)]
    public void ParseV1_Values_ReturnLimit(string text, long? expected)
    {
        Assert.Equal(expected, CgroupMemoryLimitReader.ParseV1(text));
    }

    private void Write(string relative, string content)
    {
        var path = this.root.Combine(relative.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
