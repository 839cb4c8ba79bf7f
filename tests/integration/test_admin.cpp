// The admin commands (SPEC §7): --check [FILE] and --list, with every
// privilege dropped before anything is opened.
#include "world.hpp"

#include <algorithm>

#include <gmock/gmock.h>

#include <fstream>

#include <unistd.h>

using namespace world;
using ::testing::HasSubstr;

namespace {

class Admin : public WorldTest {};

// A realistic file with one of each problem.
const std::string problem_file =
    "# subordinate uids, managed by hand\n"
    "alice:100000:65536\n"
    "bob:165536:65536\n"
    "carol:231072:65536\n"     // no such user
    "bob:200000:1000\n"        // overlaps bob? no: his own range; fine
    "alicealias:120000:10\n"   // alice's alias: same owner, no overlap finding
    "60002:190000:100000\n"    // bob by uid overlaps carol
    "alice:296608:0\n"         // zero count
    "alice:0x50000:65536\n"    // not decimal
    "alice:4294967290:100\n"   // past the ID space
    "bob:60000:10\n"           // holds bob's own uid 60002, below 65536
    "alice:500000:65536\r\n";  // DOS line ending

const std::string problem_report =
    "/etc/subuid:4: owner 'carol' has no passwd entry\n"
    "/etc/subuid:7: uids 190000-289999 of '60002' overlap 231072-296607 of 'carol' on line 4: "
    "each could read the other's files\n"
    "/etc/subuid:8: count is 0, which grants nothing: the line grants nothing\n"
    "/etc/subuid:9: start is not a plain decimal number: the line grants nothing\n"
    "/etc/subuid:10: range runs past the last ID 4294967294: the line grants nothing\n"
    "/etc/subuid:11: uids 60000-60009 contain 'bob''s own uid 60002\n"
    "/etc/subuid:11: uids 60000-60009 include IDs below 65536, which belong to the system and "
    "to users\n"
    "/etc/subuid:12: count ends in a carriage return (DOS line ending): the line grants nothing\n";

}  // namespace

TEST_P(Admin, CheckCleanFileSaysNothing)
{
    write_file("/etc/subuid", "# ok\nalice:100000:65536\nbob:165536:65536\nalicealias:231072:10\n");
    const Result r = newuidmap({"--check"});
    EXPECT_EQ(r.status, 0) << r;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "");
}

TEST_P(Admin, CheckReportsEveryKindOfProblem)
{
    write_file("/etc/subuid", problem_file);
    const Result r = newuidmap({"--check"});
    EXPECT_EQ(r.status, 1) << r;
    EXPECT_EQ(r.out, problem_report);
    EXPECT_EQ(r.err, "");
    std::cout << "[ example ] newuidmap --check\n" << r.out;
}

TEST_P(Admin, CheckReadsPasswdAsGlibcDoes)
{
    // A line glibc reads differently (it skips the blank: a user "carol"):
    // then passwd is read through getpwent, and carol has an entry.
    write_file("/etc/passwd", std::string(passwd_fixture) +
                                  " carol:x:60003:60003::/nonexistent:/usr/sbin/nologin\n");
    write_file("/etc/subuid", problem_file);
    const Result r = newuidmap({"--check"});
    EXPECT_EQ(r.status, 1) << r;
    const std::string carol_finding = "/etc/subuid:4: owner 'carol' has no passwd entry\n";
    std::string expected = problem_report;
    expected.erase(expected.find(carol_finding), carol_finding.size());
    EXPECT_EQ(r.out, expected);
}

TEST_P(Admin, CheckTakesTheFirstEntryOfAName)
{
    // bob twice, as nss_files answers: the first line's uid. Owners in
    // another order than passwd's, and one that passwd lacks at the end.
    write_file("/etc/passwd",
               std::string(passwd_fixture) + "bob:x:60009:60009::/nonexistent:/usr/sbin/nologin\n");
    write_file("/etc/subuid", "nobody:300000:10\nbob:60009:1\nalicealias:100000:10\n"
                              "root:200000:10\nalice:100005:10\nzed:400000:10\n");
    const Result r = newuidmap({"--check"});
    EXPECT_EQ(r.status, 1) << r;
    EXPECT_EQ(r.out, "/etc/subuid:2: uids 60009 include IDs below 65536, which belong to the "
                     "system and to users\n"
                     "/etc/subuid:6: owner 'zed' has no passwd entry\n");
}

TEST_P(Admin, CheckAsksTheServicesAfterFiles)
{
    if (::access("/lib/x86_64-linux-gnu/libnss_systemd.so.2", F_OK) != 0 &&
        ::access("/usr/lib/x86_64-linux-gnu/libnss_systemd.so.2", F_OK) != 0) {
        GTEST_SKIP() << "libnss_systemd is not installed";
    }
    // No "nobody" in /etc/passwd; nss-systemd makes one up.
    std::string passwd = passwd_fixture;
    passwd.erase(passwd.find("nobody:"));
    write_file("/etc/passwd", passwd);
    write_file("/etc/subuid", "nobody:300000:10\n");
    const Result only_files = newuidmap({"--check"});
    EXPECT_EQ(only_files.out, "/etc/subuid:1: owner 'nobody' has no passwd entry\n");
    write_file("/etc/nsswitch.conf", "passwd: files systemd\ngroup: files\n");
    const Result then_systemd = newuidmap({"--check"});
    EXPECT_EQ(then_systemd.status, 0) << then_systemd;
    EXPECT_EQ(then_systemd.out, "");
}

TEST_P(Admin, CheckSubgidUsesThePrimaryGroup)
{
    write_file("/etc/subgid", "alice:60001:1\nbob:100000:65536\n");
    const Result r = newgidmap({"--check"});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out, "/etc/subgid:1: gids 60001 contain 'alice''s own gid 60001\n"
                     "/etc/subgid:1: gids 60001 include IDs below 65536, which belong to the "
                     "system and to users\n");
}

TEST_P(Admin, CheckAGivenFileTheCallerCanRead)
{
    make_dir(scratch() + "/mine", 0700, alice);
    write_file(scratch() + "/mine/draft", "alice:100000:65536\ncarol:1:1\n", 0600, alice, alice);
    const Result r = newuidmap({"--check", scratch() + "/mine/draft"});
    EXPECT_EQ(r.status, 1) << r;
    EXPECT_THAT(r.out, HasSubstr(scratch() + "/mine/draft:2: owner 'carol' has no passwd entry"));
}

TEST_P(Admin, CheckCannotReadWhatTheCallerCannot)
{
    // Root could read it: the helper could too, if it had not dropped privileges.
    write_file(scratch() + "/secret", "root:100000:10\n", 0600);
    const Result r = newuidmap({"--check", scratch() + "/secret"});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "newuidmap: " + scratch() + "/secret: cannot open: Permission denied\n");
}

TEST_P(Admin, CheckSaysWhenTheHelpersWouldRefuseTheFile)
{
    write_file("/etc/subuid", "alice:100000:65536\n", 0666);
    const Result r = newuidmap({"--check"});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out, "/etc/subuid: the file is writable by group or others (mode 0666): refusing "
                     "to trust it (the helpers refuse to use it)\n");
    remove_file("/etc/subuid");
    const Result missing = newuidmap({"--check"});
    EXPECT_EQ(missing.status, 1);
    EXPECT_EQ(missing.err, "newuidmap: /etc/subuid: does not exist (no delegations)\n");
}

TEST_P(Admin, CheckRefusesAFifo)
{
    const std::string fifo = scratch() + "/fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0666), 0);
    const Result r = newuidmap({"--check", fifo});
    EXPECT_EQ(r.status, 1);
    EXPECT_THAT(r.err, HasSubstr("is not a regular file"));
}

TEST_P(Admin, ListFilesOnly)
{
    write_file("/etc/subuid", "bob:1:1\nalice:100000:65536\n60001:300000:10\nalicealias:5:5\n");
    const Result r = newuidmap({"--list"});
    EXPECT_EQ(r.status, 0) << r;
    EXPECT_EQ(r.out, "100000 65536\n300000 10\n5 5\n");
    const Result none = run(helpers().newgidmap, {"--list"});
    EXPECT_EQ(none.status, 0);
    EXPECT_EQ(none.out, "");
}

TEST_P(Admin, ListAndCheckDropEveryPrivilegeFirst)
{
    if (!have_program("/usr/bin/strace")) {
        GTEST_SKIP() << "strace is not installed";
    }
    write_file("/etc/subuid", "alice:100000:65536\n");
    for (const char* option : {"--list", "--check"}) {
        SCOPED_TRACE(option);
        const std::string trace = scratch() + "/trace" + option;
        RunOptions as_root;
        as_root.who = Identity{0, 0, {}};
        const Result r = run("/usr/bin/strace",
                             {"-f", "-qq", "-o", trace, "-u", "alice", "-e",
                              "trace=capset,setresuid,openat,prctl", helpers().newuidmap, option},
                             as_root);
        EXPECT_EQ(r.status, 0) << r;
        std::ifstream in(trace);
        std::vector<std::string> lines;
        for (std::string line; std::getline(in, line);) {
            lines.push_back(line);
        }
        std::size_t capset = lines.size();
        std::size_t subuid = lines.size();
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (lines[i].find("capset(") != std::string::npos) {
                capset = i;
                EXPECT_THAT(lines[i], HasSubstr("{effective=0, permitted=0, inheritable=0}"));
            }
            // "/etc/subuid", or "subuid" opened relative to /etc's descriptor.
            if (lines[i].find("subuid\"") != std::string::npos && subuid == lines.size()) {
                subuid = i;
            }
        }
        ASSERT_LT(capset, lines.size());
        ASSERT_LT(subuid, lines.size());
        EXPECT_LT(capset, subuid);
        const auto no_new_privs =
            std::find_if(lines.begin(), lines.end(), [](const std::string& l) {
                return l.find("prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) = 0") != std::string::npos;
            });
        ASSERT_NE(no_new_privs, lines.end()) << "no_new_privs was not set";
        EXPECT_LT(static_cast<std::size_t>(no_new_privs - lines.begin()), capset);
    }
}

INSTANTIATE_TEST_SUITE_P(Installs, Admin, ::testing::Values(Install::setuid, Install::fcaps),
                         install_name);
