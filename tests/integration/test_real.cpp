// Beyond the helpers alone: what they hold at the moment of the write
// (traced with strace), a real client (util-linux unshare) using them, and
// shadow's helpers as an oracle where SPEC.md does not say we differ.
#include "world.hpp"

#include <gmock/gmock.h>

#include <fstream>
#include <sstream>

using namespace world;
using ::testing::HasSubstr;

namespace {

class Real : public WorldTest {};

std::vector<std::string> lines_of(const std::string& path)
{
    std::ifstream in(path);
    std::vector<std::string> lines;
    // strace pads " = result" into a column: fold runs of blanks.
    for (std::string line; std::getline(in, line);) {
        std::string folded;
        for (char c : line) {
            if (c != ' ' || folded.empty() || folded.back() != ' ') {
                folded.push_back(c);
            }
        }
        lines.push_back(folded);
    }
    return lines;
}

std::size_t find_line(const std::vector<std::string>& lines, const std::string& needle,
                      std::size_t from = 0)
{
    for (std::size_t i = from; i < lines.size(); ++i) {
        if (lines[i].find(needle) != std::string::npos) {
            return i;
        }
    }
    return std::string::npos;
}

std::size_t find_last_before(const std::vector<std::string>& lines, const std::string& needle,
                             std::size_t before)
{
    std::size_t found = std::string::npos;
    for (std::size_t i = 0; i < before && i < lines.size(); ++i) {
        if (lines[i].find(needle) != std::string::npos) {
            found = i;
        }
    }
    return found;
}

// strace as root with -u keeps the setuid bit and file capabilities honoured.
void trace_the_write(const std::string& helper, const std::string& map_file,
                     const std::string& capability, const std::vector<std::string>& triples,
                     const std::string& trace, Install install)
{
    Target target;
    std::vector<std::string> args{"-f",   "-qq",
                                  "-o",   trace,
                                  "-u",   "alice",
                                  "-e",   "trace=capset,setresuid,setresgid,openat,write,prctl",
                                  helper, target.pid_text()};
    args.insert(args.end(), triples.begin(), triples.end());
    RunOptions as_root;
    as_root.who = Identity{0, 0, {}};
    const Result r = run("/usr/bin/strace", args, as_root);
    ASSERT_EQ(r.status, 0) << r;
    const auto lines = lines_of(trace);
    const std::size_t open_map =
        find_line(lines, "openat(3, \"" + map_file + "\", O_WRONLY|O_CLOEXEC) = 4");
    ASSERT_NE(open_map, std::string::npos) << "no write-open of " << map_file << " in the trace";
    const std::size_t capset = find_last_before(lines, "capset(", open_map);
    ASSERT_NE(capset, std::string::npos);
    EXPECT_THAT(lines[capset], HasSubstr("{effective=1<<" + capability + ", permitted=1<<" +
                                         capability + ", inheritable=0}) = 0"));
    // No execve could gain anything from the start of the drop on.
    const std::size_t no_new_privs =
        find_last_before(lines, "prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) = 0", capset);
    EXPECT_NE(no_new_privs, std::string::npos) << "no_new_privs was not set before the capset";
    // Nothing changes privileges after that capset and before the write.
    EXPECT_EQ(find_line(lines, "capset(", capset + 1), std::string::npos);
    EXPECT_EQ(find_line(lines, "setres", capset + 1), std::string::npos);
    if (install == Install::setuid) {
        const std::size_t setresuid =
            find_last_before(lines, "setresuid(60001, 60001, 60001) = 0", capset);
        EXPECT_NE(setresuid, std::string::npos) << "setuid install never switched all uids";
    }
    // The target and the delegation file are opened only after the drop.
    const std::size_t open_target =
        find_line(lines, "openat(AT_FDCWD, \"/proc/" + target.pid_text());
    ASSERT_NE(open_target, std::string::npos) << "no open of the target in the trace";
    EXPECT_GT(open_target, capset);
    const std::size_t write_map = find_line(lines, "write(4, ", open_map);
    ASSERT_NE(write_map, std::string::npos);
    EXPECT_THAT(lines[write_map], HasSubstr(") = "));
    // The target's map is what was asked.
    const std::string map = map_file == "uid_map" ? target.uid_map() : target.gid_map();
    std::string expected;
    for (std::size_t i = 0; i + 2 < triples.size(); i += 3) {
        expected += triples[i] + " " + triples[i + 1] + " " + triples[i + 2] + "\n";
    }
    EXPECT_EQ(map, expected);
}

}  // namespace

TEST_P(Real, NewuidmapHoldsOnlyCapSetuidAtTheWrite)
{
    if (!have_program("/usr/bin/strace")) {
        GTEST_SKIP() << "strace is not installed";
    }
    write_file("/etc/subuid", "alice:100000:65536\n");
    trace_the_write(helpers().newuidmap, "uid_map", "CAP_SETUID",
                    {"0", "60001", "1", "1", "100000", "65536"}, scratch() + "/trace", GetParam());
    const auto lines = lines_of(scratch() + "/trace");
    const std::size_t capset = find_last_before(lines, "capset(", lines.size());
    // Opened relative to the checked /etc: openat(<fd of /etc>, "subuid", ...).
    const std::size_t subuid = find_line(lines, ", \"subuid\", O_RDONLY");
    ASSERT_NE(subuid, std::string::npos) << "no open of subuid in the trace";
    EXPECT_GT(subuid, capset);
}

TEST_P(Real, NewgidmapHoldsOnlyCapSetgidAtTheWrite)
{
    if (!have_program("/usr/bin/strace")) {
        GTEST_SKIP() << "strace is not installed";
    }
    trace_the_write(helpers().newgidmap, "gid_map", "CAP_SETGID", {"0", "60001", "1"},
                    scratch() + "/trace", GetParam());
    const auto lines = lines_of(scratch() + "/trace");
    const std::size_t capset = find_last_before(lines, "capset(", lines.size());
    const std::size_t setgroups = find_line(lines, "openat(3, \"setgroups\", O_RDWR|O_CLOEXEC)");
    EXPECT_NE(setgroups, std::string::npos);
    EXPECT_GT(setgroups, capset);
}

TEST_P(Real, CapSetfcapOnlyWhenMappingOuterRoot)
{
    if (!have_program("/usr/bin/strace")) {
        GTEST_SKIP() << "strace is not installed";
    }
    write_file("/etc/subuid", "alice:0:1\n");
    Target target;
    const std::string trace = scratch() + "/trace";
    RunOptions as_root;
    as_root.who = Identity{0, 0, {}};
    const Result r = run("/usr/bin/strace",
                         {"-f", "-qq", "-o", trace, "-u", "alice", "-e", "trace=capset",
                          helpers().newuidmap, target.pid_text(), "0", "0", "1"},
                         as_root);
    const auto lines = lines_of(trace);
    ASSERT_FALSE(lines.empty());
    if (GetParam() == Install::setuid) {
        ASSERT_EQ(r.status, 0) << r;
        EXPECT_THAT(lines.back(), HasSubstr("effective=1<<CAP_SETUID|1<<CAP_SETFCAP, "
                                            "permitted=1<<CAP_SETUID|1<<CAP_SETFCAP, "
                                            "inheritable=0"));
        EXPECT_EQ(target.uid_map(), "0 0 1\n");
    } else {
        // File capabilities give no CAP_SETFCAP: we say so and write nothing.
        EXPECT_EQ(r.status, 1) << r;
        EXPECT_THAT(r.err, HasSubstr("mapping it needs CAP_SETFCAP"));
        EXPECT_THAT(lines.back(), HasSubstr("{effective=1<<CAP_SETUID, permitted=1<<CAP_SETUID, "
                                            "inheritable=0}"));
        EXPECT_EQ(target.uid_map(), "");
    }
}

TEST_P(Real, UtilLinuxUnshareMapAuto)
{
    if (!have_program("/usr/bin/unshare")) {
        GTEST_SKIP() << "util-linux unshare is not installed";
    }
    write_file("/etc/subuid", "bob:300000:65536\nalice:100000:65536\n");
    write_file("/etc/subgid", "alice:200000:65536\n");
    hide_shadow_helpers();
    const std::string dir = helpers().newuidmap.substr(0, helpers().newuidmap.rfind('/'));
    RunOptions options;
    options.env = {"PATH=" + dir + ":/usr/bin:/bin"};
    const Result r = run("/usr/bin/unshare",
                         {"--map-auto", "--map-root-user", "/bin/sh", "-c",
                          "cat /proc/self/uid_map /proc/self/gid_map; id -u; id -g"},
                         options);
    ASSERT_EQ(r.status, 0) << r;
    // util-linux maps the first subordinate block after the root mapping,
    // one ID shorter so that the inner range stays within 65536.
    EXPECT_EQ(normalise_map(r.out), "0 60001 1\n1 100000 65535\n0 60001 1\n1 200000 65535\n") << r;
    EXPECT_THAT(r.out, ::testing::EndsWith("0\n0\n"));
}

TEST_P(Real, UtilLinuxUnshareSeesOurRefusal)
{
    if (!have_program("/usr/bin/unshare")) {
        GTEST_SKIP() << "util-linux unshare is not installed";
    }
    write_file("/etc/subuid", "alice:100000:65536\n");
    hide_shadow_helpers();
    const std::string dir = helpers().newuidmap.substr(0, helpers().newuidmap.rfind('/'));
    RunOptions options;
    options.env = {"PATH=" + dir + ":/usr/bin:/bin"};
    const Result r = run("/usr/bin/unshare", {"--map-users=200000,0,10", "/bin/true"}, options);
    EXPECT_NE(r.status, 0) << r;
    EXPECT_THAT(r.err, HasSubstr("newuidmap: triple 1 (0 200000 10): outer uids 200000-200009 are "
                                 "not delegated to alice (uid 60001)"));
}

INSTANTIATE_TEST_SUITE_P(Installs, Real, ::testing::Values(Install::setuid, Install::fcaps),
                         install_name);
