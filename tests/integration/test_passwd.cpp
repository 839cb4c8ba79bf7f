// How the caller and the owners of delegations are found in passwd (SPEC
// §3): /etc/passwd is read directly when nsswitch.conf puts "files" first,
// and anything glibc might read differently is left to glibc. Each test
// checks that the answer is glibc's.
#include "world.hpp"

#include <gmock/gmock.h>

#include <unistd.h>

using namespace world;
using ::testing::HasSubstr;

namespace {

class Passwd : public WorldTest {};

const std::string fixture_rest =
    "alice:x:60001:60001:fixture caller:/nonexistent:/usr/sbin/nologin\n"
    "bob:x:60002:60002:another user:/nonexistent:/usr/sbin/nologin\n";

// Refused, naming the caller as passwd names them; nothing written.
void expect_refused_naming(const Result& r, const std::string& caller, const Target& target)
{
    EXPECT_EQ(r.status, 1) << r;
    EXPECT_THAT(r.err, HasSubstr("are not delegated to " + caller + ":")) << r;
    EXPECT_EQ(target.uid_map(), "");
}

}  // namespace

TEST_P(Passwd, CallerIsTheFirstLineWithTheirUid)
{
    write_file("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"
                              "first:x:60001:60001::/nonexistent:/usr/sbin/nologin\n" +
                                  fixture_rest);
    write_file("/etc/subuid", "alice:100000:65536\n");
    Target refused;
    expect_refused_naming(newuidmap({refused.pid_text(), "0", "300000", "10"}), "first (uid 60001)",
                          refused);
    // alice is then an alias of the caller, found by name further down.
    Target target;
    const Result r = newuidmap({target.pid_text(), "0", "100000", "10"});
    EXPECT_EQ(r.status, 0) << r;
    EXPECT_EQ(target.uid_map(), "0 100000 10\n");
}

TEST_P(Passwd, LineGlibcReadsDifferentlyIsLeftToGlibc)
{
    // glibc skips the blank and reads a user "blank" with alice's uid: that
    // is who the caller is, whatever a stricter reader would say.
    write_file("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"
                              " blank:x:60001:60001::/nonexistent:/usr/sbin/nologin\n" +
                                  fixture_rest);
    write_file("/etc/subuid", "alice:100000:65536\nblank:200000:10\n");
    Target refused;
    expect_refused_naming(newuidmap({refused.pid_text(), "0", "300000", "10"}), "blank (uid 60001)",
                          refused);
    Target target;
    const Result r = newuidmap({target.pid_text(), "0", "100000", "10", "10", "200000", "10"});
    EXPECT_EQ(r.status, 0) << r;
    EXPECT_EQ(target.uid_map(), "0 100000 10\n10 200000 10\n");
}

TEST_P(Passwd, CompatEntriesAreLeftToGlibc)
{
    write_file("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n+::::::\n" + fixture_rest);
    write_file("/etc/subuid", "alice:100000:65536\n");
    Target target;
    const Result r = newuidmap({target.pid_text(), "0", "100000", "10"});
    EXPECT_EQ(r.status, 0) << r;
    EXPECT_EQ(target.uid_map(), "0 100000 10\n");
}

TEST_P(Passwd, NotInFilesIsAskedOfTheServicesAfterIt)
{
    if (::access("/lib/x86_64-linux-gnu/libnss_systemd.so.2", F_OK) != 0 &&
        ::access("/usr/lib/x86_64-linux-gnu/libnss_systemd.so.2", F_OK) != 0) {
        GTEST_SKIP() << "libnss_systemd is not installed";
    }
    // No "nobody" in /etc/passwd; nss-systemd makes one up for uid 65534.
    write_file("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n" + fixture_rest);
    const Identity nobody{65534, 65534, {}};
    RunOptions as_nobody;
    as_nobody.who = nobody;
    Target only_files({nobody});
    expect_refused_naming(newuidmap({only_files.pid_text(), "0", "300000", "10"}, as_nobody),
                          "uid 65534 (no passwd entry)", only_files);
    write_file("/etc/nsswitch.conf", "passwd: files systemd\ngroup: files\n");
    Target then_systemd({nobody});
    expect_refused_naming(newuidmap({then_systemd.pid_text(), "0", "300000", "10"}, as_nobody),
                          "nobody (uid 65534)", then_systemd);
}

TEST_P(Passwd, ServicesBeforeFilesAreLeftToGlibc)
{
    // With files not first, glibc answers, from files here (sss is not running).
    write_file("/etc/nsswitch.conf", "passwd: sss files\ngroup: files\n");
    write_file("/etc/subuid", "alice:100000:65536\n");
    Target refused;
    expect_refused_naming(newuidmap({refused.pid_text(), "0", "300000", "10"}), "alice (uid 60001)",
                          refused);
}

INSTANTIATE_TEST_SUITE_P(Installs, Passwd, ::testing::Values(Install::setuid, Install::fcaps),
                         install_name);
