// Differential tests: shadow's helpers (Debian's uidmap package) as the
// oracle, wherever SPEC.md does not say we differ. The same request goes to
// each against its own fresh target; the outcome and what the kernel shows
// must agree.
#include "world.hpp"

#include <gmock/gmock.h>

using namespace world;

namespace {

struct Case {
    const char* name;
    const char* subuid;
    const char* subgid;
    bool gid;  // newgidmap instead of newuidmap
    std::vector<std::string> triples;
    // Shadow's helpers are setuid root; under file capabilities we have no
    // CAP_SETFCAP, so mapping outer uid 0 is compared only to our setuid install.
    bool setuid_only = false;
};

const std::vector<Case> cases{
    {"own uid", "", "", false, {"0", "60001", "1"}},
    {"own uid, any inner", "", "", false, {"70000", "60001", "1"}},
    {"own uid count 2", "", "", false, {"0", "60001", "2"}},
    {"someone else's uid", "", "", false, {"0", "60002", "1"}},
    {"delegated exactly", "alice:100000:65536\n", "", false, {"0", "100000", "65536"}},
    {"delegated subset", "alice:100000:65536\n", "", false, {"5", "100010", "100"}},
    {"delegated plus own",
     "alice:100000:65536\n",
     "",
     false,
     {"0", "60001", "1", "1", "100000", "65536"}},
    {"unsorted",
     "alice:100000:65536\n",
     "",
     false,
     {"1000", "101000", "100", "0", "60001", "1", "1", "100000", "999"}},
    {"one past the end", "alice:100000:65536\n", "", false, {"0", "100000", "65537"}},
    {"before the start", "alice:100000:65536\n", "", false, {"0", "99999", "2"}},
    {"adjacent entries", "alice:100000:100\nalice:100100:100\n", "", false, {"0", "100000", "200"}},
    {"overlapping entries, reversed",
     "alice:100050:100\nalice:100000:100\n",
     "",
     false,
     {"0", "100000", "150"}},
    {"gap between entries",
     "alice:100000:100\nalice:100101:100\n",
     "",
     false,
     {"0", "100000", "201"}},
    {"other user's entry", "bob:100000:65536\n", "", false, {"0", "100000", "10"}},
    {"decimal uid owner", "60001:100000:65536\n", "", false, {"0", "100000", "10"}},
    {"alias owner", "alicealias:100000:65536\n", "", false, {"0", "100000", "10"}},
    {"comments and blanks", "# x\n\nalice:100000:65536\n", "", false, {"0", "100000", "10"}},
    {"no final newline", "alice:100000:65536", "", false, {"0", "100000", "10"}},
    {"inner overlap",
     "alice:100000:65536\n",
     "",
     false,
     {"0", "100000", "10", "5", "100020", "10"}},
    {"outer overlap",
     "alice:100000:65536\n",
     "",
     false,
     {"0", "100000", "10", "20", "100005", "10"}},
    {"outer root delegated", "alice:0:1\n", "", false, {"0", "0", "1"}, true},
    {"outer root not delegated", "", "", false, {"0", "0", "1"}},
    {"highest inner", "", "", false, {"4294967294", "60001", "1"}},
    {"own gid", "", "", true, {"0", "60001", "1"}},
    {"own gid count 2", "", "", true, {"0", "60001", "2"}},
    {"delegated gids", "", "alice:100000:65536\n", true, {"0", "100000", "65536"}},
    {"delegated gids plus own",
     "",
     "alice:100000:65536\n",
     true,
     {"0", "60001", "1", "1", "100000", "65536"}},
    {"own gid also delegated", "", "alice:60001:1\n", true, {"0", "60001", "1"}},
    {"gids of another user", "", "bob:100000:65536\n", true, {"0", "100000", "10"}},
    {"subuid does not grant gids", "alice:100000:65536\n", "", true, {"0", "100000", "10"}},
};

class Shadow : public WorldTest {};

}  // namespace

TEST_P(Shadow, SameOutcomeAndSameMaps)
{
    const std::string shadow_uid = "/usr/bin/newuidmap";
    const std::string shadow_gid = "/usr/bin/newgidmap";
    if (!have_program(shadow_uid) || !have_program(shadow_gid)) {
        GTEST_SKIP() << "shadow's helpers are not installed (apt-get install uidmap)";
    }
    int agreed_successes = 0;
    for (const Case& c : cases) {
        if (c.setuid_only && GetParam() != Install::setuid) {
            continue;
        }
        SCOPED_TRACE(c.name);
        write_file("/etc/subuid", c.subuid);
        write_file("/etc/subgid", c.subgid);
        Target theirs;
        Target ours;
        std::vector<std::string> their_args{theirs.pid_text()};
        std::vector<std::string> our_args{ours.pid_text()};
        their_args.insert(their_args.end(), c.triples.begin(), c.triples.end());
        our_args.insert(our_args.end(), c.triples.begin(), c.triples.end());
        const Result shadow = run(c.gid ? shadow_gid : shadow_uid, their_args);
        const Result us = c.gid ? newgidmap(our_args) : newuidmap(our_args);
        EXPECT_EQ(us.status == 0, shadow.status == 0) << "shadow: " << shadow << "\nours: " << us;
        EXPECT_EQ(ours.uid_map(), theirs.uid_map());
        EXPECT_EQ(ours.gid_map(), theirs.gid_map());
        EXPECT_EQ(ours.setgroups(), theirs.setgroups());
        EXPECT_EQ(us.out, "");
        agreed_successes += us.status == 0 && shadow.status == 0 ? 1 : 0;
    }
    // Both outcomes are exercised.
    EXPECT_GE(agreed_successes, 15);
    EXPECT_LT(agreed_successes, static_cast<int>(cases.size()));
}

INSTANTIATE_TEST_SUITE_P(Installs, Shadow, ::testing::Values(Install::setuid, Install::fcaps),
                         install_name);
