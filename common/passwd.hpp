// The passwd database as glibc answers it (files, systemd, sss, ...), with
// /etc/passwd read directly when nsswitch.conf puts "files" first: an entry
// found there is what glibc would return, and reading it ourselves costs a
// fraction of glibc's NSS set-up on every start. Any line glibc might read
// differently sends the lookup to libc (see passwd_file.hpp).
#pragma once

#include "name_map.hpp"
#include "owner.hpp"

#include <future>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace idmap {

struct NamedPasswdEntry {
    std::string name;
    PasswdEntry entry;
};

class SystemPasswd final : public PasswdLookup {
public:
    // nsswitch_text: /etc/nsswitch.conf (empty if missing or untrusted:
    // then libc answers everything).
    explicit SystemPasswd(std::string_view nsswitch_text);

    [[nodiscard]] std::optional<PasswdEntry> entry_of(const std::string& name) override;
    [[nodiscard]] std::optional<PasswdEntry> entry_of_uid(uid_t uid) override;
    [[nodiscard]] std::optional<NamedPasswdEntry> named_entry_of_uid(uid_t uid);

private:
    bool files_first_;
    bool files_only_;
};

// /etc/passwd parsed and kept, read on another core while --check reads
// the subid file (see EnumeratedPasswd::preload).
struct PasswdImage {
    struct Record {            // 16 bytes: there is one per user
        std::uint32_t offset;  // of the name in names (the file is far below 4 GiB)
        std::uint32_t length;
        PasswdEntry entry;
    };
    bool plain = false;  // read as nss_files reads it (else ask getpwent)
    std::vector<Record> records;
    std::string names;
};

// For --check and --list, which look up every owner of a large file:
// /etc/passwd read once when it answers first (as above), else the whole
// database enumerated with getpwent. Names not found are asked one by one
// when other services follow files.
class EnumeratedPasswd final : public PasswdLookup {
public:
    explicit EnumeratedPasswd(std::string_view nsswitch_text);
    // Starts reading /etc/passwd (when it answers first) on another thread,
    // for entries_of(): on a 400,000-user site it is half of --check's
    // work, and the subid file can be read meanwhile. Call it only once
    // every privilege is dropped; the thread reads and parses, nothing else
    // (it opens passwd beside the last trusted file: no trusted file may be
    // opened until entries_of()).
    void preload();
    // --check: one pass over passwd for all the names.
    [[nodiscard]] std::vector<std::optional<PasswdEntry>> entries_of(const NameSet& names) override;
    // --list: tables of all of passwd, built at the first call.
    [[nodiscard]] std::optional<PasswdEntry> entry_of(const std::string& name) override;
    [[nodiscard]] std::optional<PasswdEntry> entry_of_uid(uid_t uid) override;

private:
    template <typename Prefetch, typename OnEntry>
    static bool read_file(Prefetch&& prefetch, OnEntry&& on_entry);
    static PasswdImage read_image();
    template <typename OnEntry> void enumerate(OnEntry&& on_entry);
    void build_tables();

    bool files_first_;
    bool files_only_;
    bool enumeration_complete_ = false;  // getpwent lists every user (files, systemd)
    bool tables_built_ = false;
    bool complete_ = false;         // the tables hold every user: a name not there has no entry
    NameMap<PasswdEntry> by_name_;  // the first entry of each name
    std::unordered_map<uid_t, PasswdEntry> by_uid_;  // the first entry of each uid
    SystemPasswd one_by_one_;
    std::future<PasswdImage> preloaded_;
};

// The caller's name and primary group from their real uid. A caller without
// a passwd entry is not an error (SPEC §3); a lookup that fails is.
[[nodiscard]] Caller identify_caller(uid_t uid, gid_t gid, SystemPasswd& passwd);

}  // namespace idmap
