#include "error.hpp"
#include "lint.hpp"
#include "nsswitch.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

using namespace idmap;
using ::testing::HasSubstr;

namespace {

using Names = std::vector<std::string>;

Names sources(std::string_view text)
{
    return parse_nsswitch_subid(text, "/etc/nsswitch.conf");
}

std::string error_of(std::string_view text)
{
    try {
        (void)sources(text);
    } catch (const Failure& f) {
        return f.what();
    }
    return "(no error)";
}

class FakePasswd final : public PasswdLookup {
public:
    std::map<std::string, PasswdEntry> users;
    int lookups = 0;
    std::optional<PasswdEntry> entry_of(const std::string& name) override
    {
        ++lookups;
        const auto it = users.find(name);
        return it == users.end() ? std::nullopt : std::optional<PasswdEntry>(it->second);
    }
    std::optional<PasswdEntry> entry_of_uid(uid_t uid) override
    {
        for (const auto& [name, entry] : users) {
            if (entry.uid == uid) {
                return entry;
            }
        }
        return std::nullopt;
    }
};

std::vector<std::string> lint(std::string_view text, IdKind kind = IdKind::uid)
{
    FakePasswd passwd;
    passwd.users = {{"alice", {1000, 1000}}, {"alias", {1000, 1000}}, {"bob", {1001, 2001}}};
    SubidLint lint(kind, passwd);
    // In awkward chunks, as from read().
    for (std::size_t pos = 0; pos < text.size(); pos += 7) {
        lint.feed(text.substr(pos, 7));
    }
    lint.finish();
    std::vector<std::string> lines;
    for (const Finding& f : lint.findings()) {
        lines.push_back(std::to_string(f.line) + ": " + f.problem);
    }
    return lines;
}

}  // namespace

TEST(Nsswitch, NoLineMeansFiles)
{
    EXPECT_EQ(sources(""), Names{"files"});
    EXPECT_EQ(sources("passwd: files systemd\ngroup: files\n"), Names{"files"});
    EXPECT_EQ(sources("#subid: sss\n"), Names{"files"});
}

TEST(Nsswitch, SourcesInOrder)
{
    EXPECT_EQ(sources("passwd: files\nsubid: sss\n"), Names{"sss"});
    EXPECT_EQ(sources("subid:\tfiles sss   # comment\n"), (Names{"files", "sss"}));
    EXPECT_EQ(sources("  SUBID: sss files"), (Names{"sss", "files"}));
    EXPECT_EQ(sources("subid:\nsubid: my_plugin-2\nsubid: other\n"), Names{"my_plugin-2"});
}

TEST(Nsswitch, InvalidNamesAreErrors)
{
    EXPECT_THAT(error_of("subid: ../evil\n"),
                HasSubstr("/etc/nsswitch.conf:1: '../evil' is not a subid source name"));
    EXPECT_THAT(error_of("x\nsubid: sss/x"), HasSubstr("/etc/nsswitch.conf:2:"));
    EXPECT_THAT(error_of("subid: sss [NOTFOUND=return] files"),
                HasSubstr("nsswitch actions such as '[NOTFOUND=return]' are not supported"));
    EXPECT_THAT(error_of("subid: " + std::string(65, 'a')), HasSubstr("at most 64"));
    EXPECT_TRUE(valid_source_name("sss"));
    EXPECT_FALSE(valid_source_name("s.s"));
    EXPECT_FALSE(valid_source_name(""));
}

TEST(Lint, CleanFileHasNoFindings)
{
    EXPECT_TRUE(
        lint("# comment\n\nalice:100000:65536\nbob:165536:65536\nalias:231072:10\n").empty());
}

TEST(Lint, InvalidLinesSayWhy)
{
    EXPECT_EQ(lint("alice:100000\nalice:100000:0\nbob:4294967290:10\n"),
              (std::vector<std::string>{
                  "1: not owner:start:count (too few fields): the line grants nothing",
                  "2: count is 0, which grants nothing: the line grants nothing",
                  "3: range runs past the last ID 4294967294: the line grants nothing"}));
    EXPECT_EQ(lint(std::string(5000, 'x') + "\n"),
              std::vector<std::string>{"1: line is longer than 4096 bytes"});
}

TEST(Lint, UnknownOwners)
{
    EXPECT_EQ(lint("carol:100000:10\n5000:200000:10\n"),
              std::vector<std::string>{"1: owner 'carol' has no passwd entry"});
}

TEST(Lint, OverlapsOfDifferentOwnersNameBothLines)
{
    EXPECT_EQ(lint("alice:100000:65536\nbob:150000:65536\n"),
              std::vector<std::string>{"2: uids 150000-215535 of 'bob' overlap 100000-165535 of "
                                       "'alice' on line 1: each could read the other's files"});
    // The same person under an alias, and adjacent ranges, are fine.
    EXPECT_TRUE(
        lint("alice:100000:65536\nalias:100000:10\n1000:100005:10\nbob:165536:1\n").empty());
    // Reported at the later line whatever the order of starts.
    EXPECT_EQ(lint("bob:150000:10\nalice:100000:65536\n"),
              std::vector<std::string>{"2: uids 100000-165535 of 'alice' overlap 150000-150009 of "
                                       "'bob' on line 1: each could read the other's files"});
}

TEST(Lint, OverlapHiddenBehindTheSameOwnersLongerRange)
{
    // bob's long range (line 2) reaches furthest; his short one on line 3
    // overlaps only carol's, which the sweep must still find.
    EXPECT_EQ(lint("carol:100000:100\nbob:100000:2000000\nbob:100050:10\n"),
              (std::vector<std::string>{
                  "1: owner 'carol' has no passwd entry",
                  "2: uids 100000-2099999 of 'bob' overlap 100000-100099 of 'carol' on line 1: "
                  "each could read the other's files",
                  "3: uids 100050-100059 of 'bob' overlap 100000-100099 of 'carol' on line 1: "
                  "each could read the other's files"}));
}

TEST(Lint, OwnIdAndLowIds)
{
    EXPECT_EQ(lint("alice:500:1000\n"),
              (std::vector<std::string>{
                  "1: uids 500-1499 contain 'alice''s own uid 1000",
                  "1: uids 500-1499 include IDs below 65536, which belong to the system and to "
                  "users"}));
    // In subgid the owner's own ID is their primary gid.
    EXPECT_THAT(lint("bob:2000:10\n", IdKind::gid),
                ::testing::Contains("1: gids 2000-2009 contain 'bob''s own gid 2001"));
    EXPECT_THAT(lint("bob:1000:10\n", IdKind::gid),
                ::testing::Not(::testing::Contains(HasSubstr("own gid"))));
}

TEST(Lint, EachOwnerLookedUpOnce)
{
    FakePasswd passwd;
    passwd.users = {{"alice", {1000, 1000}}};
    SubidLint lint(IdKind::uid, passwd);
    for (int i = 0; i < 100; ++i) {
        lint.feed("alice:" + std::to_string(100000 + i * 10) + ":10\ncarol:1:1\n");
    }
    lint.finish();
    EXPECT_EQ(passwd.lookups, 2);
}

// Property: over random small files, every overlap reported is real (two
// lines, different owners), and every overlapping pair of different owners
// has at least one of its lines reported.
TEST(LintProperty, OverlapsMatchBruteForce)
{
    std::mt19937 random(99);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random); };
    const char* owners[] = {"alice", "alias", "bob", "carol"};  // alias is alice
    auto same = [](int a, int b) { return a == b || (a <= 1 && b <= 1); };
    for (int round = 0; round < 3000; ++round) {
        struct E {
            int owner;
            int start;
            int count;
        };
        std::vector<E> entries;
        std::string text;
        const int n = pick(0, 8);
        for (int i = 0; i < n; ++i) {
            E e{pick(0, 3), 70000 + pick(0, 40), pick(1, 15)};
            entries.push_back(e);
            text += std::string(owners[e.owner]) + ":" + std::to_string(e.start) + ":" +
                    std::to_string(e.count) + "\n";
        }
        std::set<std::size_t> reported;  // lines with an overlap finding
        for (const std::string& finding : lint(text)) {
            if (finding.find(" overlap ") == std::string::npos) {
                continue;
            }
            const std::size_t line = std::stoul(finding);
            const std::size_t other = std::stoul(finding.substr(finding.rfind("on line ") + 8));
            const E& a = entries[line - 1];
            const E& b = entries[other - 1];
            ASSERT_FALSE(same(a.owner, b.owner)) << text << finding;
            ASSERT_TRUE(a.start < b.start + b.count && b.start < a.start + a.count)
                << text << finding;
            reported.insert(line);
            reported.insert(other);
        }
        for (std::size_t i = 0; i < entries.size(); ++i) {
            for (std::size_t j = i + 1; j < entries.size(); ++j) {
                const E& a = entries[i];
                const E& b = entries[j];
                if (!same(a.owner, b.owner) && a.start < b.start + b.count &&
                    b.start < a.start + a.count) {
                    ASSERT_TRUE(reported.count(i + 1) + reported.count(j + 1) > 0)
                        << text << "lines " << i + 1 << " and " << j + 1;
                }
            }
        }
    }
}
