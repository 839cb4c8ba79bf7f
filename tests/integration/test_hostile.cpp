// Hostile callers (issue 3): the caller controls the helper's descriptors,
// environment, limits, signals and arguments, and may kill it at any moment.
// Every case ends either with exactly the requested map or with a clear
// error and nothing written.
#include "world.hpp"

#include <gmock/gmock.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <thread>

using namespace world;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

namespace {

class Hostile : public WorldTest {
protected:
    void SetUp() override
    {
        WorldTest::SetUp();
        write_file("/etc/subuid", "alice:100000:65536\n");
        write_file("/etc/subgid", "alice:100000:65536\n");
    }
};

const std::vector<std::string> granted{"0", "60001", "1", "1", "100000", "65536"};
const std::string granted_map = "0 60001 1\n1 100000 65536\n";
const std::vector<std::string> refused{"0", "200000", "10"};
const std::string refused_message =
    "newuidmap: triple 1 (0 200000 10): outer uids 200000-200009 are not delegated to alice "
    "(uid 60001): nothing in /etc/subuid covers them\n";

std::vector<std::string> with_target(const Target& target, const std::vector<std::string>& triples)
{
    std::vector<std::string> args{target.pid_text()};
    args.insert(args.end(), triples.begin(), triples.end());
    return args;
}

// Either exactly the requested map, or a failure with a message and nothing written.
void expect_all_or_nothing(const Result& r, const std::string& map, const Target& target)
{
    if (r.status == 0) {
        EXPECT_EQ(target.uid_map(), map) << r;
    } else {
        EXPECT_NE(r.err, "") << r;
        EXPECT_EQ(target.uid_map(), "") << r;
    }
}

std::string env_of_size(std::size_t bytes)
{
    return std::string(bytes, 'x');
}

}  // namespace

// ----- descriptors 0, 1 and 2

TEST_P(Hostile, ClosedStandardDescriptorsOnSuccess)
{
    for (const std::vector<int>& closed : std::vector<std::vector<int>>{{0}, {1}, {2}, {0, 1, 2}}) {
        Target target;
        RunOptions options;
        options.close_fds = closed;
        const Result r = newuidmap(with_target(target, granted), options);
        EXPECT_EQ(r.status, 0) << r;
        EXPECT_EQ(target.uid_map(), granted_map);
    }
}

TEST_P(Hostile, ClosedStandardDescriptorsOnFailure)
{
    // With 2 closed, the next open() would land on 2 and the message would be
    // written into that file; /dev/null takes its place, so nothing is.
    for (const std::vector<int>& closed : std::vector<std::vector<int>>{{2}, {1, 2}, {0, 1, 2}}) {
        Target target;
        RunOptions options;
        options.close_fds = closed;
        const Result r = newuidmap(with_target(target, refused), options);
        EXPECT_EQ(r.status, 1) << r;
        EXPECT_EQ(r.err, "");
        EXPECT_EQ(target.uid_map(), "");
        const Result g = newgidmap(with_target(target, {"0", "200000", "10"}), options);
        EXPECT_EQ(g.status, 1) << g;
        EXPECT_EQ(target.gid_map(), "");
        EXPECT_EQ(target.setgroups(), "allow");
    }
    // The delegation files are untouched.
    std::ifstream subuid("/etc/subuid");
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(subuid), {}), "alice:100000:65536\n");
}

TEST_P(Hostile, ClosedStdoutStillGetsErrorsOnStderr)
{
    Target target;
    RunOptions options;
    options.close_fds = {0, 1};
    const Result r = newuidmap(with_target(target, refused), options);
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err, refused_message);
}

// ----- environment

TEST_P(Hostile, HostileEnvironmentChangesNothing)
{
    const std::string library = std::getenv("HOSTILE_PRELOAD");
    const std::string fake_libs = scratch() + "/libs";
    make_dir(fake_libs);
    for (const char* name :
         {"libcap-ng.so.0", "libstdc++.so.6", "libc.so.6", "libboost_program_options.so.1.74.0"}) {
        std::ifstream in(library, std::ios::binary);
        std::ofstream out(fake_libs + "/" + name, std::ios::binary);
        out << in.rdbuf();
    }
    std::vector<std::string> hostile{
        "LD_PRELOAD=" + library,
        "LD_LIBRARY_PATH=" + fake_libs,
        "LD_AUDIT=" + library,
        "LD_DEBUG=all",
        "LD_DEBUG_OUTPUT=" + scratch() + "/ld-debug",
        "GLIBC_TUNABLES=glibc.malloc.check=3:glibc.malloc.perturb=255:glibc.malloc.mxfast=0",
        "LANGUAGE=fr",
        "LC_ALL=fr_FR.UTF-8",
        "LANG=de_DE.UTF-8",
        "NLSPATH=" + scratch() + "/%N",
        "TZ=/etc/passwd",
        "MALLOC_CHECK_=3",
        "PATH=" + scratch(),
        "IFS=x",
        "HOSTALIASES=/etc/shadow",
        "RESOLV_HOST_CONF=/etc/shadow",
        "TMPDIR=" + scratch(),
    };
    // A large environment too: about a megabyte.
    for (int i = 0; i < 1000; ++i) {
        hostile.push_back("BIG" + std::to_string(i) + "=" + env_of_size(1000));
    }
    RunOptions options;
    options.env = hostile;
    Target target;
    const Result ok = newuidmap(with_target(target, granted), options);
    EXPECT_EQ(ok.status, 0) << ok;
    EXPECT_EQ(ok.err, "");
    EXPECT_EQ(target.uid_map(), granted_map);
    Target other;
    const Result no = newuidmap(with_target(other, refused), options);
    EXPECT_EQ(no.status, 1);
    EXPECT_EQ(no.err, refused_message);  // English, unchanged, nothing preloaded
    EXPECT_EQ(other.uid_map(), "");
    const Result gid = newgidmap(with_target(other, {"0", "60001", "1"}), options);
    EXPECT_EQ(gid.status, 0) << gid;
    EXPECT_EQ(other.gid_map(), "0 60001 1\n");
    EXPECT_NE(::access((scratch() + "/ld-debug").c_str(), F_OK), 0)
        << "LD_DEBUG_OUTPUT was honoured";
}

TEST_P(Hostile, EmptyArgvLikePkexec)
{
    // argc == 0: argv[1] would be the first environment string.
    RunOptions options;
    options.empty_argv = true;
    options.env = {"0", "60001", "1"};
    const Result r = newuidmap({}, options);
    EXPECT_EQ(r.status, 1) << r;
    EXPECT_THAT(r.err, StartsWith("usage: newuidmap"));
    EXPECT_EQ(r.out, "");
}

// ----- limits

TEST_P(Hostile, FewDescriptorsFailClosedWithAMessage)
{
    int failures = 0;
    int successes = 0;
    for (std::uint64_t limit = 3; limit <= 12; ++limit) {
        SCOPED_TRACE("RLIMIT_NOFILE " + std::to_string(limit));
        Target target;
        RunOptions options;
        options.limits = {{RLIMIT_NOFILE, limit}};
        const Result r = newuidmap(with_target(target, granted), options);
        expect_all_or_nothing(r, granted_map, target);
        if (r.status != 0) {
            ++failures;
            // Never "no delegations": the reason is the limit (with 3, the
            // dynamic loader itself cannot open our libraries: "Error 24").
            EXPECT_THAT(r.err,
                        ::testing::AnyOf(HasSubstr("Too many open files"),
                                         HasSubstr("cannot open shared object file: Error 24")))
                << r;
            EXPECT_THAT(r.err, Not(HasSubstr("covers them")));
            EXPECT_THAT(r.err, Not(HasSubstr("does not exist")));
        } else {
            ++successes;
        }
    }
    EXPECT_GT(failures, 0);
    EXPECT_GT(successes, 0);
}

TEST_P(Hostile, FewDescriptorsNeverDenySetgroupsForARefusal)
{
    for (std::uint64_t limit = 3; limit <= 12; ++limit) {
        SCOPED_TRACE("RLIMIT_NOFILE " + std::to_string(limit));
        Target target;
        RunOptions options;
        options.limits = {{RLIMIT_NOFILE, limit}};
        const Result r = newgidmap(with_target(target, {"0", "200000", "10"}), options);
        EXPECT_EQ(r.status == 0 ? 0 : 1, 1) << r;
        EXPECT_EQ(target.gid_map(), "");
        EXPECT_EQ(target.setgroups(), "allow");
    }
}

TEST_P(Hostile, SmallAddressSpaceFailsClosed)
{
    for (std::uint64_t mib : {4ULL, 8ULL, 16ULL, 32ULL, 64ULL, 128ULL}) {
        SCOPED_TRACE("RLIMIT_AS " + std::to_string(mib) + " MiB");
        Target target;
        RunOptions options;
        options.limits = {{RLIMIT_AS, mib << 20}};
        const Result r = newuidmap(with_target(target, granted), options);
        expect_all_or_nothing(r, granted_map, target);
        EXPECT_LT(r.status, 128) << "killed by a signal: " << r;
    }
}

// ----- kernel-ignored setuid: no_new_privs and ptrace

TEST_P(Hostile, UnderPtraceTheSelfCheckSpeaks)
{
    if (!have_program("/usr/bin/strace")) {
        GTEST_SKIP() << "strace is not installed";
    }
    Target target;
    // strace as alice: the kernel ignores the setuid bit and file capabilities.
    const Result r = run("/usr/bin/strace", {"-qq", "-o", "/dev/null", helpers().newuidmap,
                                             target.pid_text(), "0", "60001", "1"});
    EXPECT_EQ(r.status, 1) << r;
    EXPECT_THAT(r.err, HasSubstr("newuidmap: no privilege: not installed setuid root or with file "
                                 "capabilities, or no_new_privs is set"));
    EXPECT_EQ(target.uid_map(), "");
}

// ----- signals

TEST_P(Hostile, BlockedAndIgnoredSignalsChangeNothing)
{
    for (int variant = 0; variant < 3; ++variant) {
        RunOptions options;
        options.block_all_signals = variant != 1;
        options.ignore_all_signals = variant != 0;
        Target target;
        const Result ok = newuidmap(with_target(target, granted), options);
        EXPECT_EQ(ok.status, 0) << ok;
        EXPECT_EQ(target.uid_map(), granted_map);
        Target other;
        const Result no = newuidmap(with_target(other, refused), options);
        EXPECT_EQ(no.err, refused_message);
        EXPECT_EQ(other.uid_map(), "");
    }
}

TEST_P(Hostile, KilledAtRandomMomentsLeavesAllOrNothing)
{
    std::mt19937 random(static_cast<unsigned>(::getpid()));
    int mapped = 0;
    int unmapped = 0;
    for (int round = 0; round < 150; ++round) {
        Target target;
        RunOptions options;
        const int delay = std::uniform_int_distribution<int>(0, 3000)(random);
        options.interrupt = Interruption{std::chrono::microseconds(delay), SIGKILL, {}};
        const bool gid = round % 2 == 1;
        const Result r = gid ? newgidmap(with_target(target, granted), options)
                             : newuidmap(with_target(target, granted), options);
        const std::string map = gid ? target.gid_map() : target.uid_map();
        ASSERT_TRUE(map.empty() || map == granted_map) << "round " << round << ": " << map;
        (map.empty() ? unmapped : mapped) += 1;
        // Delegated gids: setgroups is never touched.
        if (gid) {
            EXPECT_EQ(target.setgroups(), "allow");
        }
        (void)r;
    }
    // The delays cover both outcomes.
    EXPECT_GT(mapped, 0);
    EXPECT_GT(unmapped, 0);
}

TEST_P(Hostile, KilledRefusalsNeverChangeSetgroups)
{
    std::mt19937 random(static_cast<unsigned>(::getpid()) + 1);
    for (int round = 0; round < 100; ++round) {
        Target target;
        RunOptions options;
        const int delay = std::uniform_int_distribution<int>(0, 3000)(random);
        options.interrupt = Interruption{std::chrono::microseconds(delay), SIGKILL, {}};
        (void)newgidmap(with_target(target, {"0", "60001", "1", "1", "200000", "10"}), options);
        ASSERT_EQ(target.gid_map(), "") << "round " << round;
        ASSERT_EQ(target.setgroups(), "allow") << "round " << round;
    }
}

TEST_P(Hostile, StoppedAtRandomMomentsShowsAllOrNothing)
{
    std::mt19937 random(static_cast<unsigned>(::getpid()) + 2);
    for (int round = 0; round < 60; ++round) {
        Target target;
        RunOptions options;
        const int delay = std::uniform_int_distribution<int>(0, 3000)(random);
        std::string seen = "not stopped";
        options.interrupt = Interruption{std::chrono::microseconds(delay), SIGSTOP,
                                         [&] { seen = target.uid_map(); }};
        (void)newuidmap(with_target(target, granted), options);
        EXPECT_TRUE(seen.empty() || seen == granted_map || seen == "not stopped") << seen;
        const std::string after = target.uid_map();
        EXPECT_TRUE(after.empty() || after == granted_map) << after;
    }
}

// ----- arguments

TEST_P(Hostile, HundredThousandTriplesRefusedCheaply)
{
    Target target;
    std::vector<std::string> args{target.pid_text()};
    args.reserve(300001);
    for (int i = 0; i < 100000; ++i) {
        args.insert(args.end(), {"1", "1", "1"});
    }
    RunOptions options;
    options.limits = {{RLIMIT_STACK, 64ULL << 20}};  // room for a 2.4 MB argv
    options.measure_rss = true;
    const Result big = newuidmap(args, options);
    EXPECT_EQ(big.status, 1) << big;
    EXPECT_EQ(big.err,
              "newuidmap: too many triples: 100000 given, the kernel accepts at most 340\n");
    EXPECT_EQ(target.uid_map(), "");
    // Peak memory is that of a small request plus the 3 MB argv the kernel
    // copied in: nothing in proportion to it was allocated.
    const Result small = newuidmap({target.pid_text(), "0", "200000", "1"}, options);
    EXPECT_GT(small.max_rss_kb, 0);
    std::cout << "[ measured ] peak RSS " << big.max_rss_kb << " KiB for 100,000 triples, "
              << small.max_rss_kb << " KiB for one\n";
    EXPECT_LT(big.max_rss_kb, small.max_rss_kb + 4 * 1024)
        << big.max_rss_kb << " KiB against " << small.max_rss_kb << " KiB";
}

TEST_P(Hostile, ControlCharactersAreEscapedEverywhere)
{
    Target target;
    const Result bad_target = newuidmap({"\x1b]0;owned\x07", "0", "60001", "1"});
    EXPECT_EQ(bad_target.err, "newuidmap: target '\\x1b]0;owned\\x07': '\\x1b]0;owned\\x07' is not "
                              "a plain decimal number; give a process id or fd:<N>\n");
    const Result bad_option = newuidmap({"--\r\nnewuidmap: forged"});
    EXPECT_EQ(bad_option.status, 1);
    EXPECT_THAT(bad_option.err, HasSubstr("\\x0d\\x0anewuidmap: forged"));
    EXPECT_EQ(std::count(bad_option.err.begin(), bad_option.err.end(), '\n'), 1);
    const Result bad_number = newuidmap({target.pid_text(), "0", "1\xff\xfe", "1"});
    EXPECT_THAT(bad_number.err, HasSubstr("'1\\xff\\xfe' is not a plain decimal number"));
    EXPECT_EQ(target.uid_map(), "");
}

// ----- hostile delegation files

TEST_P(Hostile, MegabyteLineIsSkipped)
{
    write_file("/etc/subuid", "alice:" + std::string(1 << 20, '7') + ":1\nalice:100000:65536\n" +
                                  std::string(1 << 20, 'a') + "\n");
    Target target;
    const Result r = newuidmap(with_target(target, granted));
    EXPECT_EQ(r.status, 0) << r;
    EXPECT_EQ(target.uid_map(), granted_map);
}

TEST_P(Hostile, NulBytesInTheFile)
{
    const std::string content = std::string("alice:300000:10\0garbage\n", 24) +
                                std::string("\0\0\0\n", 4) + "alice:100000:65536\n" +
                                std::string("alice\0:200000:10\n", 17);
    write_file("/etc/subuid", content);
    Target target;
    EXPECT_EQ(newuidmap(with_target(target, granted)).status, 0);
    EXPECT_EQ(target.uid_map(), granted_map);
    for (const char* start : {"300000", "200000"}) {
        Target other;
        const Result r = newuidmap({other.pid_text(), "0", start, "10"});
        EXPECT_EQ(r.status, 1) << r;
        EXPECT_THAT(r.err, HasSubstr("nothing in /etc/subuid covers them"));
        EXPECT_EQ(other.uid_map(), "");
    }
}

TEST_P(Hostile, FifoInPlaceOfTheFileDoesNotHang)
{
    remove_file("/etc/subuid");
    ASSERT_EQ(::mkfifo("/etc/subuid", 0644), 0);
    Target target;
    const Result r = newuidmap(with_target(target, granted));
    EXPECT_EQ(r.status, 1) << r;
    EXPECT_THAT(r.err, HasSubstr("/etc/subuid: is not a regular file"));
    EXPECT_EQ(target.uid_map(), "");
}

TEST_P(Hostile, DeviceInPlaceOfTheFile)
{
    make_symlink("/dev/zero", "/etc/subuid");
    Target target;
    const Result r = newuidmap(with_target(target, granted));
    EXPECT_THAT(r.err, HasSubstr("/etc/subuid: is not a regular file"));
    EXPECT_EQ(target.uid_map(), "");
}

TEST_P(Hostile, HundredMegabytesOfEntriesInBoundedMemory)
{
    std::string content;
    content.reserve(110u << 20);
    for (std::uint64_t i = 0; content.size() < (100u << 20); ++i) {
        content += "user" + std::to_string(i) + ":" +
                   std::to_string(1000000 + i * 65536 % 4000000000) + ":65536\n";
    }
    const std::size_t filler = content.size();
    content += "alice:100000:65536\n";
    write_file("/etc/subuid", content);
    content.clear();
    content.shrink_to_fit();
    Target target;
    RunOptions measured;
    measured.measure_rss = true;
    const Result r = newuidmap(with_target(target, granted), measured);
    EXPECT_EQ(r.status, 0) << r;
    EXPECT_EQ(target.uid_map(), granted_map);
    write_file("/etc/subuid", "alice:100000:65536\n");
    Target small_target;
    const Result small = newuidmap(with_target(small_target, granted), measured);
    EXPECT_GT(small.max_rss_kb, 0);
    std::cout << "[ measured ] peak RSS " << r.max_rss_kb << " KiB with a " << (filler >> 20)
              << " MiB /etc/subuid, " << small.max_rss_kb << " KiB with one line\n";
    // Memory does not grow with the file.
    EXPECT_LT(r.max_rss_kb, small.max_rss_kb + 1024)
        << r.max_rss_kb << " KiB for " << (filler >> 20) << " MiB against " << small.max_rss_kb;
}

TEST_P(Hostile, FileReplacedWhileBeingRead)
{
    // A large file, renamed over while the helpers read it: each run sees
    // either the old file (which delegates) or the new one (which does not),
    // never a mixture, never a hang.
    std::string old_content;
    for (int i = 0; old_content.size() < (40u << 20); ++i) {
        old_content += "user" + std::to_string(i) + ":5000000:10\n";
    }
    old_content += "alice:100000:65536\n";
    const std::string staged = "/etc/subuid.new";
    int granted_runs = 0;
    int refused_runs = 0;
    for (int round = 0; round < 8; ++round) {
        write_file("/etc/subuid", old_content);
        write_file(staged, "bob:100000:65536\n");
        std::thread replace([&] {
            ::usleep(static_cast<useconds_t>(round * 4000));
            ::rename(staged.c_str(), "/etc/subuid");
        });
        Target target;
        const Result r = newuidmap(with_target(target, granted));
        replace.join();
        if (r.status == 0) {
            ++granted_runs;
            EXPECT_EQ(target.uid_map(), granted_map);
        } else {
            ++refused_runs;
            EXPECT_THAT(r.err, HasSubstr("nothing in /etc/subuid covers them")) << r;
            EXPECT_EQ(target.uid_map(), "");
        }
    }
    EXPECT_EQ(granted_runs + refused_runs, 8);
}

INSTANTIATE_TEST_SUITE_P(Installs, Hostile, ::testing::Values(Install::setuid, Install::fcaps),
                         install_name);
