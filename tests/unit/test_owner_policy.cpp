#include "login_defs.hpp"
#include "owner.hpp"
#include "policy.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

using namespace idmap;
using ::testing::HasSubstr;

namespace {

class FakePasswd final : public PasswdLookup {
public:
    std::map<std::string, uid_t> users;
    std::vector<std::string> asked;

    std::optional<PasswdEntry> entry_of(const std::string& name) override
    {
        asked.push_back(name);
        const auto it = users.find(name);
        if (it == users.end()) {
            return std::nullopt;
        }
        return PasswdEntry{it->second, it->second};
    }
    std::optional<PasswdEntry> entry_of_uid(uid_t uid) override
    {
        for (const auto& [name, id] : users) {
            if (id == uid) {
                return PasswdEntry{id, id};
            }
        }
        return std::nullopt;
    }
};

Caller alice()
{
    return Caller{60001, 60001, std::string("alice"), 60001};
}

SourceAnswer answer(std::vector<bool> covered, std::string name = "/etc/subuid")
{
    SourceAnswer a;
    a.source = std::move(name);
    a.covered = std::move(covered);  // first_gap left empty: "nothing covers them"
    return a;
}

}  // namespace

TEST(OwnerMatcher, NameUidAndAlias)
{
    FakePasswd passwd;
    passwd.users = {{"alice", 60001}, {"alias", 60001}, {"bob", 60002}};
    OwnerMatcher owners(alice(), passwd);
    EXPECT_TRUE(owners.is_caller("alice"));
    EXPECT_TRUE(owners.is_caller("60001"));
    EXPECT_TRUE(owners.is_caller("alias"));
    EXPECT_FALSE(owners.is_caller("bob"));
    EXPECT_FALSE(owners.is_caller("60002"));
    EXPECT_FALSE(owners.is_caller("nobody-here"));
    EXPECT_FALSE(owners.is_caller("060001"));  // not plain decimal: a name, and unknown
    // Name and uid need no lookup; each other name is looked up once.
    EXPECT_TRUE(owners.is_caller("alias"));
    EXPECT_FALSE(owners.is_caller("bob"));
    EXPECT_EQ(passwd.asked, (std::vector<std::string>{"alias", "bob", "nobody-here", "060001"}));
}

TEST(OwnerMatcher, CallerWithoutPasswdEntry)
{
    FakePasswd passwd;
    passwd.users = {{"ghost", 70000}};
    Caller caller{70000, 70000, std::nullopt, std::nullopt};
    OwnerMatcher owners(caller, passwd);
    EXPECT_TRUE(owners.is_caller("70000"));
    // An alias is another name with our uid; that still works.
    EXPECT_TRUE(owners.is_caller("ghost"));
    EXPECT_FALSE(owners.is_caller("alice"));
    EXPECT_EQ(describe_caller(caller), "uid 70000 (no passwd entry)");
    EXPECT_EQ(describe_caller(alice()), "alice (uid 60001)");
}

TEST(Policy, OwnIdNeedsNoDelegation)
{
    const std::vector<IdMapping> m{{0, 60001, 1}};
    const Verdict v = decide(IdKind::uid, alice(), m, std::vector{answer({false})});
    EXPECT_TRUE(v.allowed());
    EXPECT_EQ(v.mappings[0].grant, MappingVerdict::Grant::own_id);
    EXPECT_FALSE(v.deny_setgroups);
    EXPECT_FALSE(v.needs_setfcap);
}

TEST(Policy, OwnIdRuleIsCountOneOnly)
{
    const std::vector<IdMapping> m{{0, 60001, 2}};
    const Verdict v = decide(IdKind::uid, alice(), m, std::vector{answer({false})});
    EXPECT_FALSE(v.allowed());
    EXPECT_THAT(v.mappings[0].reason,
                HasSubstr("outer uids 60001-60002 are not delegated to alice (uid 60001): nothing "
                          "in /etc/subuid covers them"));
}

TEST(Policy, OwnGidUsesRealGid)
{
    Caller c = alice();
    c.gid = 500;
    const std::vector<IdMapping> own_gid{{0, 500, 1}};
    const std::vector<IdMapping> uid_as_gid{{0, 60001, 1}};
    EXPECT_TRUE(decide(IdKind::gid, c, own_gid, std::vector{answer({false})}).allowed());
    EXPECT_FALSE(decide(IdKind::gid, c, uid_as_gid, std::vector{answer({false})}).allowed());
    EXPECT_TRUE(decide(IdKind::uid, c, uid_as_gid, std::vector{answer({false})}).allowed());
}

TEST(Policy, SetgroupsDeniedUnlessADelegationAllowedSomething)
{
    const std::vector<IdMapping> own{{0, 60001, 1}};
    const std::vector<IdMapping> both{{0, 60001, 1}, {1, 100000, 65536}};
    const Verdict only_own = decide(IdKind::gid, alice(), own, std::vector{answer({false})});
    EXPECT_TRUE(only_own.allowed());
    EXPECT_TRUE(only_own.deny_setgroups);
    const Verdict with_range =
        decide(IdKind::gid, alice(), both, std::vector{answer({false, true})});
    EXPECT_TRUE(with_range.allowed());
    EXPECT_FALSE(with_range.deny_setgroups);
    // As in shadow, a delegation of the own gid counts as a delegation.
    const Verdict own_delegated = decide(IdKind::gid, alice(), own, std::vector{answer({true})});
    EXPECT_EQ(own_delegated.mappings[0].grant, MappingVerdict::Grant::delegated);
    EXPECT_FALSE(own_delegated.deny_setgroups);
    // newuidmap never touches setgroups.
    EXPECT_FALSE(decide(IdKind::uid, alice(), own, std::vector{answer({false})}).deny_setgroups);
}

TEST(Policy, OneSourceCoveringIsEnough)
{
    const std::vector<IdMapping> m{{0, 100000, 10}, {10, 200000, 10}};
    const Verdict v =
        decide(IdKind::uid, alice(), m,
               std::vector{answer({true, false}, "files"), answer({false, true}, "sss")});
    EXPECT_TRUE(v.allowed());
    EXPECT_EQ(v.mappings[0].source, "files");
    EXPECT_EQ(v.mappings[1].source, "sss");
}

TEST(Policy, RefusalNamesTheFirstRefusedTripleAndEverySource)
{
    const std::vector<IdMapping> m{{0, 60001, 1}, {1, 100000, 10}, {11, 300000, 10}};
    SourceAnswer missing = answer({false, false, false}, "/etc/subuid");
    missing.missing = true;
    SourceAnswer broken;
    broken.source = "sss";
    broken.error = "the service could not be reached";  // a source's own message
    const Verdict v = decide(IdKind::uid, alice(), m, std::vector{missing, broken});
    EXPECT_FALSE(v.allowed());
    EXPECT_EQ(v.first_refused(), 1U);
    EXPECT_EQ(v.mappings[2].grant, MappingVerdict::Grant::refused);
    EXPECT_EQ(v.mappings[1].reason,
              "outer uids 100000-100009 are not delegated to alice (uid 60001): /etc/subuid does "
              "not exist; the service could not be reached");
    EXPECT_EQ(v.mappings[0].grant, MappingVerdict::Grant::own_id);
}

TEST(Policy, RootIsNotExempt)
{
    const Caller root{0, 0, std::string("root"), 0};
    const std::vector<IdMapping> m{{0, 100000, 10}};
    EXPECT_FALSE(decide(IdKind::uid, root, m, std::vector{answer({false})}).allowed());
    const std::vector<IdMapping> own{{0, 0, 1}};
    const Verdict v = decide(IdKind::uid, root, own, std::vector{answer({false})});
    EXPECT_TRUE(v.allowed());
    EXPECT_TRUE(v.needs_setfcap);
}

TEST(Policy, SetfcapOnlyForOuterUidZero)
{
    EXPECT_TRUE(maps_outer_root(IdKind::uid, std::vector<IdMapping>{{5, 0, 3}}));
    EXPECT_FALSE(maps_outer_root(IdKind::uid, std::vector<IdMapping>{{0, 1, 3}}));
    EXPECT_FALSE(maps_outer_root(IdKind::gid, std::vector<IdMapping>{{5, 0, 3}}));
}

TEST(LoginDefs, GrantAuxGroupSubids)
{
    auto value = [](std::string_view text) {
        LoginDefsScan scan("GRANT_AUX_GROUP_SUBIDS");
        scan.feed(text);
        scan.finish();
        return scan.is_yes();
    };
    EXPECT_TRUE(value("GRANT_AUX_GROUP_SUBIDS yes\n"));
    EXPECT_TRUE(value("  GRANT_AUX_GROUP_SUBIDS\t\"YES\"  "));
    EXPECT_FALSE(value("GRANT_AUX_GROUP_SUBIDS no\n"));
    EXPECT_FALSE(value("#GRANT_AUX_GROUP_SUBIDS yes\n"));
    EXPECT_FALSE(value("GRANT_AUX_GROUP_SUBIDSX yes\n"));
    EXPECT_FALSE(value("GRANT_AUX_GROUP_SUBIDS yes\nGRANT_AUX_GROUP_SUBIDS no\n"));
    EXPECT_TRUE(value("UMASK 022\nGRANT_AUX_GROUP_SUBIDS no\nGRANT_AUX_GROUP_SUBIDS yes"));
    EXPECT_FALSE(value(""));
}
