// Real clients (TESTING.md layer 3): podman, buildah, rootlesskit, LXC,
// mmdebstrap and util-linux unshare, run by the unprivileged fixture user
// with our helpers first in PATH and shadow's made unusable, so that a pass
// proves ours did the work. Each checks the maps the client ended up with.
#include "world.hpp"

#include <gmock/gmock.h>

#include <unistd.h>

#include <filesystem>
#include <iostream>

using namespace world;
using ::testing::HasSubstr;

namespace {

class Clients : public WorldTest {
protected:
    void SetUp() override
    {
        WorldTest::SetUp();
        write_file("/etc/subuid", "bob:300000:65536\nalice:100000:65536\n");
        write_file("/etc/subgid", "alice:200000:65536\n");
        hide_shadow_helpers();
        home_ = scratch() + "/home";
        runtime_ = scratch() + "/run";
        make_dir(home_, 0700, alice);
        make_dir(runtime_, 0700, alice);
        if (::chown(home_.c_str(), alice, alice) != 0 ||
            ::chown(runtime_.c_str(), alice, alice) != 0) {
            FAIL() << "chown";
        }
    }

    [[nodiscard]] std::string our_dir() const
    {
        return helpers().newuidmap.substr(0, helpers().newuidmap.rfind('/'));
    }

    // Runs a client as alice with our helpers first in PATH.
    Result client(const std::string& program, const std::vector<std::string>& args,
                  std::chrono::seconds timeout = std::chrono::seconds(120))
    {
        RunOptions options;
        options.env = {"PATH=" + (dir_override_.empty() ? our_dir() : dir_override_) +
                           ":/usr/sbin:/usr/bin:/sbin:/bin",
                       "HOME=" + home_,
                       "XDG_RUNTIME_DIR=" + runtime_,
                       "XDG_CONFIG_HOME=" + home_ + "/.config",
                       "XDG_DATA_HOME=" + home_ + "/.local/share",
                       "USER=alice",
                       "LOGNAME=alice",
                       "LANG=C.UTF-8"};
        options.timeout = timeout;
        return run(program, args, options);
    }

    // The audit lines of our helpers since the last call: proof they ran.
    std::vector<std::string> our_grants()
    {
        std::vector<std::string> grants;
        for (const std::string& line : syslog_messages()) {
            if (line.find("]: granted: alice (uid 60001)") != std::string::npos) {
                grants.push_back(line);
            }
        }
        return grants;
    }

    std::string home_;
    std::string runtime_;
    std::string dir_override_;
};

bool installed(const std::string& program)
{
    return have_program(program);
}

}  // namespace

TEST_P(Clients, Podman)
{
    if (!installed("/usr/bin/podman")) {
        GTEST_SKIP() << "podman is not installed";
    }
    const Result migrate = client("/usr/bin/podman", {"--storage-driver=vfs", "system", "migrate"});
    EXPECT_EQ(migrate.status, 0) << migrate;
    (void)our_grants();
    const Result r = client("/usr/bin/podman", {"--storage-driver=vfs", "unshare", "cat",
                                                "/proc/self/uid_map", "/proc/self/gid_map"});
    ASSERT_EQ(r.status, 0) << r;
    EXPECT_EQ(normalise_map(r.out), "0 60001 1\n1 100000 65536\n0 60001 1\n1 200000 65536\n") << r;
    EXPECT_EQ(our_grants().size(), 2U);
}

TEST_P(Clients, PodmanShowsOurRefusal)
{
    if (!installed("/usr/bin/podman")) {
        GTEST_SKIP() << "podman is not installed";
    }
    // podman reads the file itself and asks for the range; we refuse to
    // trust a world-writable delegation file, and podman passes that on.
    write_file("/etc/subuid", "alice:100000:65536\n", 0666);
    const Result r = client("/usr/bin/podman", {"--storage-driver=vfs", "unshare", "true"});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_THAT(r.err, HasSubstr("newuidmap: triple 2 (1 100000 65536): outer uids 100000-165535 "
                                 "are not delegated to alice (uid 60001): /etc/subuid: the file is "
                                 "writable by group or others (mode 0666): refusing to trust it"))
        << r;
    EXPECT_THAT(r.err, HasSubstr("cannot set up namespace using \"" + helpers().newuidmap + "\""));
}

TEST_P(Clients, Buildah)
{
    if (!installed("/usr/bin/buildah")) {
        GTEST_SKIP() << "buildah is not installed";
    }
    const Result r = client("/usr/bin/buildah", {"--storage-driver=vfs", "unshare", "cat",
                                                 "/proc/self/uid_map", "/proc/self/gid_map"});
    ASSERT_EQ(r.status, 0) << r;
    // buildah falls back to a single mapping when the helper fails: the
    // delegated ranges must be there.
    EXPECT_EQ(normalise_map(r.out), "0 60001 1\n1 100000 65536\n0 60001 1\n1 200000 65536\n") << r;
    EXPECT_EQ(our_grants().size(), 2U);
}

TEST_P(Clients, Rootlesskit)
{
    if (!installed("/usr/bin/rootlesskit")) {
        GTEST_SKIP() << "rootlesskit is not installed";
    }
    const Result r = client("/usr/bin/rootlesskit", {"--state-dir=" + runtime_ + "/rk", "cat",
                                                     "/proc/self/uid_map", "/proc/self/gid_map"});
    ASSERT_EQ(r.status, 0) << r;
    EXPECT_EQ(normalise_map(r.out), "0 60001 1\n1 100000 65536\n0 60001 1\n1 200000 65536\n") << r;
    EXPECT_EQ(our_grants().size(), 2U);
}

TEST_P(Clients, RootlesskitShowsOurRefusal)
{
    if (!installed("/usr/bin/rootlesskit")) {
        GTEST_SKIP() << "rootlesskit is not installed";
    }
    write_file("/etc/subuid", "alice:100000:65536\n", 0666);
    const Result r = client("/usr/bin/rootlesskit", {"--state-dir=" + runtime_ + "/rk", "true"});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_THAT(r.err, HasSubstr("[rootlesskit:parent] error: failed to setup UID/GID map: "
                                 "newuidmap"));
    EXPECT_THAT(r.err, HasSubstr("failed: newuidmap: triple 2 (1 100000 65536): outer uids "
                                 "100000-165535 are not delegated to alice (uid 60001): "
                                 "/etc/subuid: the file is writable by group or others"))
        << r;
}

TEST_P(Clients, LxcUsernsexec)
{
    if (!installed("/usr/bin/lxc-usernsexec")) {
        GTEST_SKIP() << "lxc is not installed";
    }
    // Without -m it maps the caller's first delegated ranges.
    const Result r = client("/usr/bin/lxc-usernsexec",
                            {"--", "cat", "/proc/self/uid_map", "/proc/self/gid_map"});
    ASSERT_EQ(r.status, 0) << r;
    EXPECT_EQ(normalise_map(r.out), "0 100000 65536\n0 200000 65536\n") << r;
    EXPECT_EQ(our_grants().size(), 2U);
    // With explicit maps, own IDs included.
    const Result explicit_maps =
        client("/usr/bin/lxc-usernsexec",
               {"-m", "u:0:60001:1", "-m", "u:1:100000:65536", "-m", "g:0:60001:1", "-m",
                "g:1:200000:65536", "--", "cat", "/proc/self/uid_map", "/proc/self/gid_map"});
    ASSERT_EQ(explicit_maps.status, 0) << explicit_maps;
    EXPECT_EQ(normalise_map(explicit_maps.out),
              "0 60001 1\n1 100000 65536\n0 60001 1\n1 200000 65536\n");
}

TEST_P(Clients, LxcShowsOurRefusal)
{
    if (!installed("/usr/bin/lxc-usernsexec")) {
        GTEST_SKIP() << "lxc is not installed";
    }
    const Result r = client("/usr/bin/lxc-usernsexec",
                            {"-m", "u:0:200000:10", "-m", "g:0:200000:10", "--", "true"});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_THAT(r.err, HasSubstr("newuidmap failed to write mapping \"newuidmap: triple 1 (0 "
                                 "200000 10): outer uids 200000-200009 are not delegated to alice "
                                 "(uid 60001): nothing in /etc/subuid covers them\""))
        << r;
}

TEST_P(Clients, LxcRefusesAHelperWithoutPrivilege)
{
    if (!installed("/usr/bin/lxc-usernsexec")) {
        GTEST_SKIP() << "lxc is not installed";
    }
    // The same helpers, neither setuid nor file-capable, first in PATH:
    // LXC does not run them, and fails to write the map itself.
    make_dir(scratch() + "/plain");
    for (const std::string& from : {built().newuidmap, built().newgidmap}) {
        const std::string to = scratch() + "/plain/" + from.substr(from.rfind('/') + 1);
        std::filesystem::copy_file(from, to);
        std::filesystem::permissions(to, std::filesystem::perms(0755));
    }
    dir_override_ = scratch() + "/plain";
    const Result r = client("/usr/bin/lxc-usernsexec", {"--", "true"});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_THAT(r.err, HasSubstr("Failed to write uid mapping")) << r;
    EXPECT_THAT(r.err, ::testing::Not(HasSubstr("newuidmap: ")));
    EXPECT_TRUE(syslog_messages().empty());
}

TEST_P(Clients, MmdebstrapUnshareHelper)
{
    if (!installed("/usr/bin/mmdebstrap")) {
        GTEST_SKIP() << "mmdebstrap is not installed";
    }
    // mmdebstrap first probes "newuidmap" and "newgidmap" without arguments
    // and requires exit status 1; then maps its own process.
    const Result r = client("/usr/bin/mmdebstrap", {"--unshare-helper", "/bin/sh", "-c",
                                                    "cat /proc/self/uid_map /proc/self/gid_map"});
    ASSERT_EQ(r.status, 0) << r;
    EXPECT_EQ(normalise_map(r.out), "0 100000 65536\n0 200000 65536\n") << r;
    // Its test namespace and then the real one, a uid and a gid map each.
    EXPECT_EQ(our_grants().size(), 4U);
    EXPECT_EQ(client(helpers().newuidmap, {}).status, 1);
    EXPECT_EQ(client(helpers().newgidmap, {}).status, 1);
}

TEST_P(Clients, MmdebstrapProbeFindsShadowMissing)
{
    if (!installed("/usr/bin/mmdebstrap")) {
        GTEST_SKIP() << "mmdebstrap is not installed";
    }
    // Without our helpers in PATH (shadow's are hidden), the probe fails:
    // so the passing run above used ours.
    dir_override_ = scratch() + "/empty";
    make_dir(dir_override_);
    const Result r = client("/usr/bin/mmdebstrap", {"--unshare-helper", "/bin/true"});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_THAT(r.err, HasSubstr("newuidmap")) << r;
}

TEST_P(Clients, UtilLinuxMapUsersUnsortedMix)
{
    if (!installed("/usr/bin/unshare")) {
        GTEST_SKIP() << "util-linux unshare is not installed";
    }
    write_file("/etc/subuid", "alice:100000:65536\nalice:50000:100\n");
    // Outer IDs in descending order against ascending inner ones.
    const Result r = client("/usr/bin/unshare",
                            {"--map-users=50000,1000,100", "--map-groups=200000,1,10",
                             "--map-root-user", "cat", "/proc/self/uid_map", "/proc/self/gid_map"});
    ASSERT_EQ(r.status, 0) << r;
    EXPECT_EQ(normalise_map(r.out), "0 60001 1\n1000 50000 100\n0 60001 1\n1 200000 10\n") << r;
    EXPECT_EQ(our_grants().size(), 2U);
}

TEST_P(Clients, UtilLinuxMapUsersAuto)
{
    if (!installed("/usr/bin/unshare")) {
        GTEST_SKIP() << "util-linux unshare is not installed";
    }
    const Result r = client("/usr/bin/unshare", {"--map-users=auto", "--map-groups=auto", "cat",
                                                 "/proc/self/uid_map", "/proc/self/gid_map"});
    ASSERT_EQ(r.status, 0) << r;
    EXPECT_EQ(normalise_map(r.out), "0 100000 65536\n0 200000 65536\n") << r;
    EXPECT_EQ(our_grants().size(), 2U);
}

INSTANTIATE_TEST_SUITE_P(Installs, Clients, ::testing::Values(Install::setuid, Install::fcaps),
                         install_name);
