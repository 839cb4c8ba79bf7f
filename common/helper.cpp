#include "helper.hpp"

#include "audit.hpp"
#include "cmdline.hpp"
#include "error.hpp"
#include "lint.hpp"
#include "login_defs.hpp"
#include "passwd.hpp"
#include "paths.hpp"
#include "policy.hpp"
#include "privileges.hpp"
#include "sources.hpp"
#include "startup.hpp"
#include "target.hpp"
#include "text.hpp"
#include "trusted_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <unistd.h>

#include <new>
#include <span>
#include <string>
#include <vector>

namespace idmap {

namespace {

void print(int fd, const std::string& text) noexcept
{
    write_all_or_ignore(fd, text.data(), text.size());
}

void report(IdKind kind, const std::string& message) noexcept
{
    try {
        print(STDERR_FILENO, std::string(traits(kind).program) + ": " + message + "\n");
    } catch (...) {
        static constexpr char fallback[] = "error (and out of memory while reporting it)\n";
        write_all_or_ignore(STDERR_FILENO, fallback, sizeof fallback - 1);
    }
}

// GRANT_AUX_GROUP_SUBIDS from /etc/login.defs; read only when it matters.
bool grant_aux_group_subids()
{
    const TrustedFile file = open_trusted_file(paths::login_defs);
    if (file.missing) {
        return false;
    }
    LoginDefsScan scan("GRANT_AUX_GROUP_SUBIDS");
    read_chunks(file.fd.get(), paths::login_defs,
                [&scan](std::string_view chunk) { scan.feed(chunk); });
    scan.finish();
    return scan.is_yes();
}

// As in shadow: the caller's real gid must be their passwd primary gid,
// unless the administrator allows auxiliary groups.
void check_primary_group(const Caller& caller)
{
    if (!caller.passwd_gid || *caller.passwd_gid == caller.gid) {
        return;
    }
    if (grant_aux_group_subids()) {
        return;
    }
    throw Failure("your real gid " + std::to_string(caller.gid),
                  "is not your primary group " + std::to_string(*caller.passwd_gid) +
                      " from passwd (GRANT_AUX_GROUP_SUBIDS is not \"yes\" in " +
                      paths::login_defs + ")");
}

void apply(IdKind kind, const MapRequest& request, AuditRecord& audit)
{
    const HeldPrivileges held = become_caller(kind, maps_outer_root(kind, request.mappings));
    // From here on we are the caller plus one capability.

    const TargetProcess target = TargetProcess::open(request.target);
    audit.target = target.describe();
    const NsswitchConf nsswitch = read_nsswitch_conf();
    SystemPasswd passwd(nsswitch.text);
    const Caller caller = identify_caller(::getuid(), ::getgid(), passwd);
    audit.caller = caller;
    target.check_owner(caller);
    check_primary_group(caller);
    target.check_mappable(kind);

    std::vector<IdRange> wanted;
    wanted.reserve(request.mappings.size());
    for (const IdMapping& m : request.mappings) {
        wanted.push_back(m.outer_range());
    }
    OwnerMatcher owners(caller, passwd);
    std::vector<SourceAnswer> answers;
    for (const auto& source : configured_sources(kind, nsswitch)) {
        answers.push_back(source->query(caller, owners, wanted));
    }
    const Verdict verdict = decide(kind, caller, request.mappings, answers);
    for (const MappingVerdict& v : verdict.mappings) {
        audit.grants.push_back(v.grant == MappingVerdict::Grant::own_id
                                   ? std::string("own ") + traits(kind).id_word
                                   : v.source);
    }
    if (const auto refused = verdict.first_refused()) {
        throw Failure(describe_mapping(*refused, request.mappings[*refused]),
                      verdict.mappings[*refused].reason);
    }
    if (verdict.needs_setfcap && !held.setfcap) {
        throw Failure("outer uid 0", "mapping it needs CAP_SETFCAP (Linux 5.12 and later), which "
                                     "this installation does not have: install newuidmap "
                                     "setuid root to map uid 0");
    }
    if (kind == IdKind::gid && verdict.deny_setgroups && !target.deny_setgroups()) {
        report(kind, "warning: " + target.describe() +
                         ": the kernel has no setgroups file, so setgroups cannot be denied");
    }
    target.write_map(kind, map_text(request.mappings));
}

// A map request, audited whatever its outcome.
int run_map_request(IdKind kind, std::span<const std::string_view> words)
{
    AuditRecord audit;
    audit.uid = ::getuid();
    audit.target = "target " + std::string(words.front());
    try {
        const Command command = parse_command_line(words);
        const MapRequest& request = std::get<MapRequest>(command);
        audit.mappings = request.mappings;
        apply(kind, request, audit);
    } catch (const Failure& failure) {
        send_audit(kind, false, audit, failure.what());
        throw;
    }
    send_audit(kind, true, audit, "");
    return 0;
}

// --list: the caller's delegated ranges from every configured source, with
// no privilege at all.
int run_list(IdKind kind)
{
    drop_all_privileges();
    const NsswitchConf nsswitch = read_nsswitch_conf();
    SystemPasswd system_passwd(nsswitch.text);
    const Caller caller = identify_caller(::getuid(), ::getgid(), system_passwd);
    // Every other owner in the file is a possible alias: look them up in
    // one pass over passwd, not one getpwnam() each (quadratic with files).
    EnumeratedPasswd passwd(nsswitch.text);
    OwnerMatcher owners(caller, passwd);
    std::string out;
    bool failed = false;
    for (const auto& source : configured_sources(kind, nsswitch)) {
        const ListAnswer answer = source->list(caller, owners);
        for (const IdRange& range : answer.ranges) {
            out += std::to_string(range.first) + " " + std::to_string(range.count) + "\n";
        }
        if (answer.error) {
            report(kind, *answer.error);
            failed = true;
        }
    }
    print(STDOUT_FILENO, out);
    return failed ? 1 : 0;
}

// --check [FILE]: findings about the delegation file, with no privilege;
// FILE may be anything the caller can read.
int run_check(IdKind kind, const CheckFile& check)
{
    drop_all_privileges();
    const std::string path = check.file.value_or(traits(kind).subid_path);
    std::vector<Finding> findings;
    if (!check.file) {
        // The helpers' own trust rules, as a finding about the whole file.
        bool missing = false;
        try {
            missing = open_trusted_file(path.c_str()).missing;
        } catch (const Failure& failure) {
            findings.push_back({0, std::string(failure.what()).substr(path.size() + 2) +
                                       " (the helpers refuse to use it)"});
        }
        if (missing) {
            throw Failure(path, "does not exist (no delegations)");
        }
    }
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (!fd.valid()) {
        fail_errno(escape(path) + ": cannot open", errno);
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
        throw Failure(escape(path), "is not a regular file");
    }
    EnumeratedPasswd passwd(read_nsswitch_conf().text);
    passwd.preload();  // every privilege is dropped above
    SubidLint lint(kind, passwd);
    lint.reserve(static_cast<std::size_t>(st.st_size) / 24);
    read_chunks(fd.get(), path.c_str(), [&lint](std::string_view chunk) { lint.feed(chunk); });
    lint.finish();
    for (Finding& finding : lint.findings()) {
        findings.push_back(std::move(finding));
    }
    std::string out;
    for (const Finding& finding : findings) {
        out += escape(path);
        if (finding.line > 0) {
            out += ":" + std::to_string(finding.line);
        }
        out += ": " + finding.problem + "\n";
    }
    print(STDOUT_FILENO, out);
    return findings.empty() ? 0 : 1;
}

int run(IdKind kind, int argc, char** argv)
{
    // argc may be 0 (argv[0] NULL): then there are no words at all.
    const std::size_t count = argc > 1 ? static_cast<std::size_t>(argc - 1) : 0;
    const bool map_request = count > 0 && argv[1][0] != '-';
    if (map_request) {
        // Refuse a huge argv before allocating anything for it.
        check_triple_count(count - 1);
        // The self-check (SPEC §5 step 2) comes before a map request is
        // parsed; usage, --help and --version need no privilege.
        require_privilege(kind);
    }
    std::vector<std::string_view> words;
    words.reserve(count);
    for (std::size_t i = 1; i <= count; ++i) {
        words.emplace_back(argv[i]);
    }
    if (map_request) {
        return run_map_request(kind, words);
    }
    const Command command = parse_command_line(words);
    if (std::holds_alternative<ShowHelp>(command)) {
        print(STDOUT_FILENO, help_text(kind));
        return 0;
    }
    if (std::holds_alternative<ShowVersion>(command)) {
        print(STDOUT_FILENO, version_text(kind));
        return 0;
    }
    if (std::holds_alternative<ListRanges>(command)) {
        return run_list(kind);
    }
    if (const auto* check = std::get_if<CheckFile>(&command)) {
        return run_check(kind, *check);
    }
    print(STDERR_FILENO, usage_text(kind));
    return 1;
}

}  // namespace

int run_helper(IdKind kind, int argc, char** argv) noexcept
{
    startup_hygiene();
    try {
        return run(kind, argc, argv);
    } catch (const Failure& failure) {
        report(kind, failure.what());
    } catch (const std::bad_alloc&) {
        report(kind, "out of memory");
    } catch (const std::exception& e) {
        report(kind, std::string("internal error: ") + e.what());
    } catch (...) {
        report(kind, "internal error");
    }
    return 1;
}

}  // namespace idmap
