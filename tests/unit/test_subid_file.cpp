#include "subid_file.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

using namespace idmap;

namespace {

SubidLine::Kind kind_of(std::string_view line)
{
    return parse_subid_line(line).kind;
}

std::string problem_of(std::string_view line)
{
    return std::string(parse_subid_line(line).problem);
}

}  // namespace

TEST(SubidLine, Entries)
{
    const SubidLine line = parse_subid_line("alice:100000:65536");
    ASSERT_EQ(line.kind, SubidLine::Kind::entry);
    EXPECT_EQ(line.entry.owner, "alice");
    EXPECT_EQ(line.entry.range, (IdRange{100000, 65536}));
    EXPECT_EQ(parse_subid_line("60001:0:1").entry.owner, "60001");
    EXPECT_EQ(parse_subid_line("u:4294967294:1").entry.range, (IdRange{4294967294, 1}));
    EXPECT_EQ(parse_subid_line("u:0:4294967295").entry.range, (IdRange{0, 4294967295}));
}

TEST(SubidLine, Comments)
{
    EXPECT_EQ(kind_of(""), SubidLine::Kind::comment);
    EXPECT_EQ(kind_of("   \t "), SubidLine::Kind::comment);
    EXPECT_EQ(kind_of("# alice:1:2"), SubidLine::Kind::comment);
    EXPECT_EQ(kind_of("  #x"), SubidLine::Kind::comment);
}

TEST(SubidLine, InvalidLinesSayWhy)
{
    EXPECT_EQ(problem_of("alice:1"), "not owner:start:count (too few fields)");
    EXPECT_EQ(problem_of("alice"), "not owner:start:count (too few fields)");
    EXPECT_EQ(problem_of("alice:1:2:3"), "not owner:start:count (too many fields)");
    EXPECT_EQ(problem_of(":1:2"), "empty owner");
    EXPECT_EQ(problem_of("alice::2"), "empty start");
    EXPECT_EQ(problem_of("alice:1:"), "empty count");
    EXPECT_EQ(problem_of(" alice:1:2"), "owner contains a blank or control character");
    EXPECT_EQ(problem_of("al ice:1:2"), "owner contains a blank or control character");
    EXPECT_EQ(problem_of(std::string_view("al\0ice:1:2", 10)),
              "owner contains a blank or control character");
    EXPECT_EQ(problem_of("alice:010:2"), "start is not a plain decimal number");
    EXPECT_EQ(problem_of("alice:0x10:2"), "start is not a plain decimal number");
    EXPECT_EQ(problem_of("alice:-1:2"), "start is not a plain decimal number");
    EXPECT_EQ(problem_of("alice:4294967295:1"), "start is past the last ID 4294967294");
    EXPECT_EQ(problem_of("alice:1:2 "), "count is not a plain decimal number");
    EXPECT_EQ(problem_of("alice:1:2\r"), "count ends in a carriage return (DOS line ending)");
    EXPECT_EQ(problem_of("alice:1:4294967296"), "count is larger than the ID space");
    EXPECT_EQ(problem_of("alice:1:4294967295"), "range runs past the last ID 4294967294");
    EXPECT_EQ(problem_of("alice:4294967294:2"), "range runs past the last ID 4294967294");
}

TEST(SubidLine, ZeroCountGrantsNothing)
{
    // shadow before 4.20 let "user:0:0" grant every range.
    EXPECT_EQ(kind_of("alice:0:0"), SubidLine::Kind::invalid);
    EXPECT_EQ(problem_of("alice:100000:0"), "count is 0, which grants nothing");
}

TEST(LineSplitter, SplitsAcrossChunksAndKeepsNumbers)
{
    std::vector<std::pair<std::string, std::uint64_t>> seen;
    LineSplitter lines(100);
    auto take = [&](const Line& l) { seen.emplace_back(std::string(l.text), l.number); };
    lines.feed("a:1:2\nb:", take);
    lines.feed("3:4", take);
    lines.feed("\n\nlast", take);
    lines.finish(take);
    ASSERT_EQ(seen.size(), 4U);
    EXPECT_EQ(seen[0], (std::pair<std::string, std::uint64_t>{"a:1:2", 1}));
    EXPECT_EQ(seen[1], (std::pair<std::string, std::uint64_t>{"b:3:4", 2}));
    EXPECT_EQ(seen[2], (std::pair<std::string, std::uint64_t>{"", 3}));
    EXPECT_EQ(seen[3], (std::pair<std::string, std::uint64_t>{"last", 4}));
}

TEST(LineSplitter, TooLongLinesAreFlaggedNotKept)
{
    std::vector<Line> seen;
    std::vector<std::string> texts;
    LineSplitter lines(8);
    auto take = [&](const Line& l) {
        seen.push_back(l);
        texts.emplace_back(l.text);
    };
    lines.feed("12345678\n123456789\n", take);
    lines.feed(std::string(1000, 'x'), take);
    lines.feed(std::string(1000, 'y') + "\nok\n", take);
    lines.feed("1234", take);
    lines.feed("56789", take);
    lines.finish(take);
    ASSERT_EQ(seen.size(), 5U);
    EXPECT_FALSE(seen[0].too_long);
    EXPECT_EQ(texts[0], "12345678");
    EXPECT_TRUE(seen[1].too_long);
    EXPECT_TRUE(seen[2].too_long);
    EXPECT_EQ(texts[2], "");
    EXPECT_FALSE(seen[3].too_long);
    EXPECT_EQ(texts[3], "ok");
    EXPECT_TRUE(seen[4].too_long);
    EXPECT_EQ(seen[4].number, 5U);
}

TEST(LineSplitter, AnyChunkingGivesTheSameLines)
{
    std::mt19937 random(12345);
    const std::string text = "alice:1:2\n\n# c\nbob:3:4\nx\ny:5:6";
    std::vector<std::string> whole;
    {
        LineSplitter lines(64);
        auto take = [&](const Line& l) { whole.emplace_back(l.text); };
        lines.feed(text, take);
        lines.finish(take);
    }
    ASSERT_EQ(whole.size(), 6U);
    for (int round = 0; round < 500; ++round) {
        std::vector<std::string> pieces;
        LineSplitter lines(64);
        auto take = [&](const Line& l) { pieces.emplace_back(l.text); };
        std::size_t pos = 0;
        while (pos < text.size()) {
            const std::size_t n = std::uniform_int_distribution<std::size_t>(0, 7)(random);
            lines.feed(std::string_view(text).substr(pos, n), take);
            pos += n;
        }
        lines.finish(take);
        EXPECT_EQ(pieces, whole);
    }
}

// A batch keeps each chunk's lines, views or copies, until the chunk is done.
TEST(LineBatch, AnyChunkingGivesTheSameLines)
{
    std::mt19937 random(54321);
    const std::string text = "alice:1:2\n\n# c\nbob:3:4\nx\n" + std::string(80, 'z') + "\ny:5:6";
    for (int round = 0; round < 500; ++round) {
        std::vector<std::pair<std::string, std::uint64_t>> lines_seen;
        LineSplitter lines(64);
        LineBatch batch;
        const auto drain = [&] {
            for (std::size_t i = 0; i < batch.size(); ++i) {
                lines_seen.emplace_back(
                    batch[i].too_long ? "(too long)" : std::string(batch[i].text), batch[i].number);
            }
            batch.clear();
        };
        std::size_t pos = 0;
        while (pos < text.size()) {
            const std::size_t n = std::uniform_int_distribution<std::size_t>(0, 30)(random);
            // A copy of the chunk, overwritten afterwards: a view kept past
            // the chunk would show it.
            std::string chunk = text.substr(pos, n);
            batch.start(chunk);
            lines.feed(chunk, [&](const Line& l) { batch.add(l); });
            drain();
            chunk.assign(chunk.size(), '#');
            pos += n;
        }
        batch.start({});
        lines.finish([&](const Line& l) { batch.add(l); });
        drain();
        const std::vector<std::pair<std::string, std::uint64_t>> expected{
            {"alice:1:2", 1}, {"", 2},           {"# c", 3},  {"bob:3:4", 4},
            {"x", 5},         {"(too long)", 6}, {"y:5:6", 7}};
        ASSERT_EQ(lines_seen, expected) << "round " << round;
    }
}

TEST(SubidScan, CoversFromTheCallersEntriesOnly)
{
    const std::vector<IdRange> wanted{{100000, 65536}, {300000, 10}};
    std::vector<std::string> asked;
    SubidScan scan(wanted, [&](std::string_view owner) {
        asked.emplace_back(owner);
        return owner == "alice";
    });
    scan.feed("bob:100000:65536\n");           // overlaps, not alice
    scan.feed("alice:100000:30000\n");         // first part
    scan.feed("alice:500000:10\n");            // far away: owner never asked
    scan.feed("carol:900000:10\n");            // far away: owner never asked
    scan.feed("alice:130000:35536\nalice:3");  // rest, adjacent; split line
    scan.feed("00000:5\n");
    scan.finish();
    ASSERT_EQ(scan.coverage().size(), 2U);
    EXPECT_TRUE(scan.coverage()[0].complete());
    EXPECT_FALSE(scan.coverage()[1].complete());
    EXPECT_EQ(scan.coverage()[1].first_gap(), 300005U);
    EXPECT_EQ(asked, (std::vector<std::string>{"bob", "alice", "alice", "alice"}));
}

TEST(SubidScan, InvalidAndTooLongLinesGrantNothing)
{
    const std::vector<IdRange> wanted{{0, 10}};
    SubidScan scan(wanted, [](std::string_view) { return true; });
    scan.feed("alice:0:0\nalice:0:10\r\nalice:00:10\n");
    scan.feed("alice:0:10" + std::string(max_subid_line, ' ') + "\n");
    scan.finish();
    EXPECT_FALSE(scan.coverage()[0].complete());
}

TEST(SubidScan, LastLineWithoutNewline)
{
    const std::vector<IdRange> wanted{{0, 10}};
    SubidScan scan(wanted, [](std::string_view) { return true; });
    scan.feed("alice:0:10");
    scan.finish();
    EXPECT_TRUE(scan.coverage()[0].complete());
}

namespace {

// A random line for the scan property: valid entries of a few owners, and
// the ways a line can be malformed, short (under 32 bytes: the fast path's
// all-at-once case) and long.
std::string random_line(std::mt19937& rng, std::uint64_t base)
{
    auto pick = [&](std::initializer_list<const char*> options) {
        std::uniform_int_distribution<std::size_t> d(0, options.size() - 1);
        return std::string(*(options.begin() + static_cast<std::ptrdiff_t>(d(rng))));
    };
    auto number = [&](std::uint64_t offset, unsigned limit) {
        std::string n =
            std::to_string(offset + std::uniform_int_distribution<unsigned>(0, limit)(rng));
        switch (std::uniform_int_distribution<int>(0, 19)(rng)) {
        case 0:
            return "0" + n;  // a leading zero
        case 1:
            return "+" + n;
        case 2:
            return n + " ";
        case 3:
            return n + "x";
        case 4:
            return std::string();
        case 5:
            return std::string("99999999999");  // too large
        case 6:
            return std::string("4294967295");
        default:
            return n;
        }
    };
    const std::string owner =
        pick({"alice", "alice", "bob", "1000", "1001", "", "#alice", " alice", "al:ice",
              "alice_with_a_long_alias_name_0123456789", "someone_else_with_a_long_name_x"});
    // Starts near base (numbers of 1 to 10 digits), counts small or not.
    const std::uint64_t count_offset =
        std::uniform_int_distribution<int>(0, 4)(rng) == 0 ? base / 2 : 0;
    std::string line = owner + ":" + number(base, 200) + ":" + number(count_offset, 60);
    switch (std::uniform_int_distribution<int>(0, 15)(rng)) {
    case 0:
        line += "\r";
        break;
    case 1:
        line += ":5";
        break;
    case 2:
        line = owner + ":" + number(base, 200);
        break;
    case 3:
        line = "";
        break;
    case 4:
        line = "# " + line;
        break;
    case 5:
        line += std::string(40, ' ');
        break;
    default:
        break;
    }
    return line;
}

// Brute force: every line parsed strictly, coverage ID by ID.
std::vector<std::optional<std::uint64_t>>
oracle_gaps(const std::string& text, const std::vector<IdRange>& wanted, const OwnerTest& is_caller)
{
    std::vector<std::vector<bool>> covered;
    for (const IdRange& w : wanted) {
        covered.emplace_back(w.count, false);
    }
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) {
            end = text.size();
        }
        const std::string_view line(text.data() + start, end - start);
        start = end + 1;
        const SubidLine parsed = parse_subid_line(line);
        if (line.size() > max_subid_line || parsed.kind != SubidLine::Kind::entry ||
            !is_caller(parsed.entry.owner)) {
            continue;
        }
        for (std::size_t i = 0; i < wanted.size(); ++i) {
            for (std::uint64_t id = wanted[i].first; id < wanted[i].end(); ++id) {
                if (id >= parsed.entry.range.first && id < parsed.entry.range.end()) {
                    covered[i][id - wanted[i].first] = true;
                }
            }
        }
    }
    std::vector<std::optional<std::uint64_t>> gaps;
    for (std::size_t i = 0; i < wanted.size(); ++i) {
        std::optional<std::uint64_t> gap;
        for (std::uint64_t k = 0; k < wanted[i].count && !gap; ++k) {
            if (!covered[i][k]) {
                gap = wanted[i].first + k;
            }
        }
        gaps.push_back(gap);
    }
    return gaps;
}

}  // namespace

TEST(SubidLineProperty, ShortcutAgreesWithTheLongWay)
{
    std::mt19937 rng(424242);
    constexpr std::uint64_t bases[] = {0, 99999900, 999999900, 4294967000};
    for (int round = 0; round < 20000; ++round) {
        const std::string line = random_line(rng, bases[round % 4]);
        const SubidLine fast = parse_subid_line(line);
        const SubidLine strict = parse_subid_line_strict(line);
        ASSERT_EQ(fast.kind, strict.kind) << line;
        ASSERT_EQ(fast.problem, strict.problem) << line;
        if (fast.kind == SubidLine::Kind::entry) {
            ASSERT_EQ(fast.entry.owner, strict.entry.owner) << line;
            ASSERT_EQ(fast.entry.range.first, strict.entry.range.first) << line;
            ASSERT_EQ(fast.entry.range.count, strict.entry.range.count) << line;
        }
    }
}

// The fast paths (all at once for short lines, byte by byte for long ones)
// and the strict parser must agree on every file, however it is chunked.
TEST(SubidScanProperty, MatchesStrictParsingOfEveryLine)
{
    std::mt19937 rng(20261204);
    const OwnerTest is_caller = [](std::string_view owner) {
        return owner == "alice" || owner == "1000" ||
               owner == "alice_with_a_long_alias_name_0123456789";
    };
    for (int round = 0; round < 3000; ++round) {
        constexpr std::uint64_t bases[] = {0, 99999900, 999999900, 4294967000};
        const std::uint64_t base = bases[round % 4];
        std::string text;
        const int lines = std::uniform_int_distribution<int>(0, 40)(rng);
        for (int i = 0; i < lines; ++i) {
            text += random_line(rng, base) + "\n";
        }
        if (std::uniform_int_distribution<int>(0, 3)(rng) == 0) {
            text += random_line(rng, base);  // a last line without '\n'
        }
        std::vector<IdRange> wanted;
        // Up to six: more than four turns the prefix windows off.
        const int n = std::uniform_int_distribution<int>(1, 6)(rng);
        for (int i = 0; i < n; ++i) {
            const std::uint64_t first =
                base + std::uniform_int_distribution<std::uint64_t>(0, 220)(rng);
            wanted.push_back({first, std::min<std::uint64_t>(
                                         std::uniform_int_distribution<std::uint64_t>(1, 40)(rng),
                                         4294967295 - first)});
        }
        const auto expected = oracle_gaps(text, wanted, is_caller);
        SubidScan scan(wanted, is_caller);
        for (std::size_t pos = 0; pos < text.size();) {
            const std::size_t size = round % 2 == 0
                                         ? text.size()
                                         : std::uniform_int_distribution<std::size_t>(1, 300)(rng);
            scan.feed(std::string_view(text).substr(pos, size));
            pos += size;
        }
        scan.finish();
        ASSERT_EQ(scan.coverage().size(), wanted.size());
        for (std::size_t i = 0; i < wanted.size(); ++i) {
            ASSERT_EQ(scan.coverage()[i].first_gap(), expected[i])
                << "round " << round << ", wanted " << wanted[i].first << "+" << wanted[i].count
                << ", file:\n"
                << text;
        }
    }
}

// Each line alone against a wanted range, for starts and counts around its
// edges and around the powers of ten where the number of digits changes:
// the shortcuts' bounds are exact there or too wide, never too narrow.
TEST(SubidScanProperty, EdgesOfTheWantedRange)
{
    const OwnerTest is_caller = [](std::string_view owner) { return owner == "alice"; };
    const std::uint64_t firsts[] = {0,        5,         9,         10,         99,        100,
                                    99999990, 100000000, 999999990, 1000000000, 4294967000};
    const std::uint64_t counts[] = {1, 2, 9, 10, 11, 99, 100, 101, 100000};
    for (const std::uint64_t first : firsts) {
        for (const std::uint64_t n : {std::uint64_t{1}, std::uint64_t{7}}) {
            const std::vector<IdRange> wanted{{first, n}};
            for (std::uint64_t start = first > 120 ? first - 120 : 0; start <= first + n + 12;
                 ++start) {
                for (const std::uint64_t count : counts) {
                    if (start + count > 4294967295) {
                        continue;
                    }
                    // Lines after it, so that the line is read on the fast path.
                    const std::string text = "alice:" + std::to_string(start) + ":" +
                                             std::to_string(count) + "\n" + std::string(64, '#') +
                                             "\n";
                    SubidScan scan(wanted, is_caller);
                    scan.feed(text);
                    scan.finish();
                    ASSERT_EQ(scan.coverage()[0].first_gap(),
                              oracle_gaps(text, wanted, is_caller)[0])
                        << "wanted " << first << "+" << n << ", line alice:" << start << ":"
                        << count;
                }
            }
        }
    }
}
