// The whole decision over a fake world. The input is three parts separated
// by "\n--\n": the command line (words separated by spaces), the subid
// file, and a passwd of "name:uid" lines. The caller is uid 1000 ("me").
// Whatever the input, a granted triple is the caller's own ID or covered by
// entries the caller owns, and setgroups is denied exactly when nothing was
// delegated.
#include "cmdline.hpp"
#include "decimal.hpp"
#include "error.hpp"
#include "fuzz_util.hpp"
#include "policy.hpp"
#include "subid_file.hpp"

#include <algorithm>
#include <charconv>
#include <map>

namespace {

class FakePasswd final : public idmap::PasswdLookup {
public:
    std::map<std::string, uid_t, std::less<>> users;
    std::optional<idmap::PasswdEntry> entry_of(const std::string& name) override
    {
        const auto it = users.find(name);
        if (it == users.end()) {
            return std::nullopt;
        }
        return idmap::PasswdEntry{it->second, it->second};
    }
    std::optional<idmap::PasswdEntry> entry_of_uid(uid_t) override { return std::nullopt; }
};

bool owned_by_caller(std::string_view owner, const FakePasswd& passwd)
{
    if (owner == "me" || owner == "1000") {
        return true;
    }
    // A plain decimal owner names a uid (not ours); anything else is a name.
    if (idmap::parse_decimal(owner, UINT64_MAX).ok()) {
        return false;
    }
    const auto it = passwd.users.find(owner);
    return it != passwd.users.end() && it->second == 1000;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    std::string_view parts[3];
    std::size_t start = 0;
    for (int i = 0; i < 3; ++i) {
        const std::size_t end = i < 2 ? input.find("\n--\n", start) : std::string_view::npos;
        parts[i] = input.substr(start, end == std::string_view::npos ? end : end - start);
        if (end == std::string_view::npos) {
            break;
        }
        start = end + 4;
    }
    FakePasswd passwd;
    passwd.users["me"] = 1000;
    for (std::string_view line : fuzz::split(parts[2], '\n')) {
        const std::size_t colon = line.find(':');
        std::uint32_t uid = 0;
        if (colon != std::string_view::npos &&
            std::from_chars(line.data() + colon + 1, line.data() + line.size(), uid).ec ==
                std::errc{}) {
            passwd.users.emplace(std::string(line.substr(0, colon)), uid);
        }
    }
    std::vector<std::string_view> words{"1234"};
    for (std::string_view word : fuzz::split(parts[0], ' ')) {
        words.push_back(word);
    }
    const idmap::Caller caller{1000, 1000, std::string("me"), 1000};
    for (idmap::IdKind kind : {idmap::IdKind::uid, idmap::IdKind::gid}) {
        try {
            const idmap::Command command = idmap::parse_command_line(words);
            const auto& request = std::get<idmap::MapRequest>(command);
            std::vector<idmap::IdRange> wanted;
            for (const auto& m : request.mappings) {
                wanted.push_back(m.outer_range());
            }
            idmap::OwnerMatcher owners(caller, passwd);
            idmap::SubidScan scan(wanted,
                                  [&](std::string_view owner) { return owners.is_caller(owner); });
            scan.feed(parts[1]);
            scan.finish();
            idmap::SourceAnswer answer;
            answer.source = "/etc/subid";
            for (const auto& c : scan.coverage()) {
                answer.covered.push_back(c.complete());
                answer.first_gap.push_back(c.first_gap().value_or(c.wanted().end()));
            }
            const std::vector<idmap::SourceAnswer> answers{answer};
            const idmap::Verdict verdict = idmap::decide(kind, caller, request.mappings, answers);
            bool any_delegated = false;
            for (std::size_t i = 0; i < request.mappings.size(); ++i) {
                const auto& m = request.mappings[i];
                const bool is_covered =
                    fuzz::oracle_covers(parts[1], m.outer_range(), [&](std::string_view owner) {
                        return owned_by_caller(owner, passwd);
                    });
                const bool own = m.count == 1 && m.outer == 1000;
                const auto grant = verdict.mappings[i].grant;
                FUZZ_CHECK((grant == idmap::MappingVerdict::Grant::delegated) == is_covered);
                FUZZ_CHECK((grant == idmap::MappingVerdict::Grant::own_id) == (own && !is_covered));
                FUZZ_CHECK((grant == idmap::MappingVerdict::Grant::refused) ==
                           (!own && !is_covered));
                if (grant == idmap::MappingVerdict::Grant::refused) {
                    fuzz::check_message(verdict.mappings[i].reason);
                }
                any_delegated = any_delegated || is_covered;
            }
            FUZZ_CHECK(verdict.deny_setgroups == (kind == idmap::IdKind::gid && !any_delegated));
            FUZZ_CHECK(verdict.needs_setfcap ==
                       (kind == idmap::IdKind::uid &&
                        std::any_of(request.mappings.begin(), request.mappings.end(),
                                    [](const auto& m) { return m.outer == 0; })));
        } catch (const idmap::Failure& failure) {
            fuzz::check_message(failure.what());
        }
    }
    return 0;
}
