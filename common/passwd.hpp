// The passwd database as glibc answers it (files, systemd, sss, ...), with
// /etc/passwd read directly when nsswitch.conf puts "files" first: an entry
// found there is what glibc would return, and reading it ourselves costs a
// fraction of glibc's NSS set-up on every start. Any line glibc might read
// differently sends the lookup to libc (see passwd_file.hpp).
#pragma once

#include "name_map.hpp"
#include "owner.hpp"

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

// For --check and --list, which look up every owner of a large file: all of
// /etc/passwd read once into tables when it answers first (as above), else
// the whole database enumerated with getpwent. Names not found are asked
// one by one when other services follow files.
class EnumeratedPasswd final : public PasswdLookup {
public:
    explicit EnumeratedPasswd(std::string_view nsswitch_text);
    [[nodiscard]] std::optional<PasswdEntry> entry_of(const std::string& name) override;
    [[nodiscard]] std::optional<PasswdEntry> entry_of_uid(uid_t uid) override;

private:
    bool read_file();
    void enumerate();
    void add(std::string_view name, const PasswdEntry& entry);

    NameMap<PasswdEntry> by_name_;                   // the first entry of each name
    std::size_t next_ = 0;                           // in by_name_, after the last name found
    std::vector<PasswdEntry> in_order_;              // every entry, for by_uid_
    std::unordered_map<uid_t, PasswdEntry> by_uid_;  // built when first asked
    bool by_uid_built_ = false;
    bool complete_ = false;
    SystemPasswd one_by_one_;
};

// The caller's name and primary group from their real uid. A caller without
// a passwd entry is not an error (SPEC §3); a lookup that fails is.
[[nodiscard]] Caller identify_caller(uid_t uid, gid_t gid, SystemPasswd& passwd);

}  // namespace idmap
