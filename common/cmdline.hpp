// The command line (SPEC §1): options only as the first word, then a target
// and triples. Pure: takes the words, returns what to do.
#pragma once

#include "id_kind.hpp"
#include "mapping.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace idmap {

struct TargetSpec {
    enum class Form { pid, fd };
    Form form = Form::pid;
    int number = 0;    // the pid, or the inherited descriptor
    std::string text;  // as the user wrote it, for messages

    friend bool operator==(const TargetSpec&, const TargetSpec&) = default;
};

struct MapRequest {
    TargetSpec target;
    std::vector<IdMapping> mappings;
};

struct ShowUsage {};
struct ShowHelp {};
struct ShowVersion {};
struct ListRanges {};  // --list
struct CheckFile {     // --check [FILE]
    std::optional<std::string> file;
};

using Command = std::variant<ShowUsage, ShowHelp, ShowVersion, ListRanges, CheckFile, MapRequest>;

// words are argv[1..argc-1]. Throws Failure for anything malformed.
[[nodiscard]] Command parse_command_line(std::span<const std::string_view> words);

// "<pid>" in [1, 2147483647] or "fd:<N>" with N in [0, 2147483647].
[[nodiscard]] TargetSpec parse_target(std::string_view word);

[[nodiscard]] std::string usage_text(IdKind kind);
[[nodiscard]] std::string help_text(IdKind kind);
[[nodiscard]] std::string version_text(IdKind kind);

}  // namespace idmap
