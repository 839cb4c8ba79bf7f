#include "subid_file.hpp"

#include "decimal.hpp"

#include <algorithm>
#include <optional>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace idmap {

namespace {

bool is_blank(char c) noexcept
{
    return c == ' ' || c == '\t';
}

SubidLine invalid(std::string_view problem) noexcept
{
    SubidLine line;
    line.kind = SubidLine::Kind::invalid;
    line.problem = problem;
    return line;
}

}  // namespace

namespace {

// Up to ten digits at p, without a leading zero, as a number no larger than
// max; moves p past them. nullopt for anything else.
std::optional<std::uint64_t> plain_number(const char*& p, const char* end,
                                          std::uint64_t max) noexcept
{
    const char* const first = p;
    std::uint64_t value = 0;
    while (p < end && static_cast<unsigned char>(*p - '0') <= 9 && p - first < 10) {
        value = value * 10 + static_cast<std::uint64_t>(*p - '0');
        ++p;
    }
    const bool digit_follows = p < end && static_cast<unsigned char>(*p - '0') <= 9;
    if (p == first || digit_follows || (*first == '0' && p - first > 1) || value > max) {
        return std::nullopt;
    }
    return value;
}

// The usual line, a plain owner:start:count, in one pass; nullopt if it is
// anything else (parse_subid_line_strict then says what).
std::optional<SubidLine> parse_plain_line(std::string_view text) noexcept
{
    const char* p = text.data();
    const char* const end = p + text.size();
    if (p == end || *p == '#') {
        return std::nullopt;
    }
    const char* const owner_end = [&] {
        const char* q = p;
        while (q < end && *q != ':') {
            const auto byte = static_cast<unsigned char>(*q);
            if (byte <= 0x20 || byte == 0x7f) {
                return end;  // a blank or control character: not plain
            }
            ++q;
        }
        return q;
    }();
    if (owner_end == p || owner_end == end) {
        return std::nullopt;
    }
    const char* q = owner_end + 1;
    const auto start = plain_number(q, end, max_id);
    if (!start || q == end || *q != ':') {
        return std::nullopt;
    }
    ++q;
    const auto count = plain_number(q, end, id_limit);
    if (!count || q != end || *count == 0 || *start + *count > id_limit) {
        return std::nullopt;
    }
    SubidLine line;
    line.kind = SubidLine::Kind::entry;
    line.entry = SubidEntry{std::string_view(p, static_cast<std::size_t>(owner_end - p)),
                            IdRange{*start, *count}};
    return line;
}

}  // namespace

SubidLine parse_subid_line(std::string_view text) noexcept
{
    if (const auto plain = parse_plain_line(text)) {
        return *plain;
    }
    return parse_subid_line_strict(text);
}

SubidLine parse_subid_line_strict(std::string_view text) noexcept
{
    const auto first = std::find_if_not(text.begin(), text.end(), is_blank);
    if (first == text.end() || *first == '#') {
        SubidLine line;
        line.kind = SubidLine::Kind::comment;
        return line;
    }
    const std::size_t colon1 = text.find(':');
    const std::size_t colon2 =
        colon1 == std::string_view::npos ? colon1 : text.find(':', colon1 + 1);
    if (colon2 == std::string_view::npos) {
        return invalid("not owner:start:count (too few fields)");
    }
    if (text.find(':', colon2 + 1) != std::string_view::npos) {
        return invalid("not owner:start:count (too many fields)");
    }
    const std::string_view owner = text.substr(0, colon1);
    const std::string_view start_text = text.substr(colon1 + 1, colon2 - colon1 - 1);
    const std::string_view count_text = text.substr(colon2 + 1);
    if (owner.empty()) {
        return invalid("empty owner");
    }
    for (char c : owner) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte == 0x7f) {
            return invalid("owner contains a blank or control character");
        }
    }
    const ParsedDecimal start = parse_decimal(start_text, max_id);
    if (!start.ok()) {
        if (start_text.empty()) {
            return invalid("empty start");
        }
        return invalid(start.error == DecimalError::too_large
                           ? "start is past the last ID 4294967294"
                           : "start is not a plain decimal number");
    }
    const ParsedDecimal count = parse_decimal(count_text, id_limit);
    if (!count.ok()) {
        if (count_text.empty()) {
            return invalid("empty count");
        }
        if (!count_text.empty() && count_text.back() == '\r') {
            return invalid("count ends in a carriage return (DOS line ending)");
        }
        return invalid(count.error == DecimalError::too_large
                           ? "count is larger than the ID space"
                           : "count is not a plain decimal number");
    }
    if (count.value == 0) {
        return invalid("count is 0, which grants nothing");
    }
    if (start.value + count.value > id_limit) {
        return invalid("range runs past the last ID 4294967294");
    }
    SubidLine line;
    line.kind = SubidLine::Kind::entry;
    line.entry = SubidEntry{owner, IdRange{start.value, count.value}};
    return line;
}

SubidScan::SubidScan(std::span<const IdRange> wanted, OwnerTest is_caller)
    : is_caller_(std::move(is_caller))
{
    coverage_.reserve(wanted.size());
    for (const IdRange& range : wanted) {
        coverage_.emplace_back(range);
    }
    sorted_.assign(wanted.begin(), wanted.end());
    std::sort(sorted_.begin(), sorted_.end(),
              [](const IdRange& a, const IdRange& b) { return a.first < b.first; });
    std::uint64_t reach = 0;
    for (const IdRange& range : sorted_) {
        reach = std::max(reach, range.end());
        reach_.push_back(reach);
    }
    build_prefix_windows();
}

namespace {

constexpr std::uint64_t powers_of_ten[] = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000};

// The first min(length, 8) digits of a number of `length` digits, as the
// big-endian number their text is (the rest of the eight bytes zero).
std::uint64_t text_prefix(std::uint64_t value, unsigned length) noexcept
{
    char text[16] = {};
    for (unsigned i = length; i-- > 0;) {
        text[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    std::uint64_t prefix = 0;
    for (unsigned i = 0; i < 8; ++i) {
        prefix = prefix << 8 | (i < length ? static_cast<unsigned char>(text[i]) : 0U);
    }
    return prefix;
}

}  // namespace

void SubidScan::build_prefix_windows()
{
    if (sorted_.size() > 4) {
        return;  // many wanted ranges (rare): every line's numbers are read
    }
    use_prefix_windows_ = true;
    for (unsigned start_length = 1; start_length <= 10; ++start_length) {
        // The numbers of this many digits (no leading zero; "0" alone).
        const std::uint64_t smallest = start_length == 1 ? 0 : powers_of_ten[start_length - 1];
        const std::uint64_t largest = powers_of_ten[start_length] - 1;
        for (unsigned count_length = 1; count_length <= 10; ++count_length) {
            PrefixCell& cell = prefix_windows_[start_length][count_length];
            for (const IdRange& w : sorted_) {
                // start < w.end, and start + count > w.first for a count
                // below 10^count_length: start >= w.first - 10^count_length
                // is wide enough.
                const std::uint64_t reach = powers_of_ten[count_length];
                const std::uint64_t low = std::max(smallest, w.first > reach ? w.first - reach : 0);
                if (w.end() == 0 || low > std::min(largest, w.end() - 1)) {
                    continue;
                }
                const std::uint64_t high = std::min(largest, w.end() - 1);
                cell.windows[cell.count++] = {text_prefix(low, start_length),
                                              text_prefix(high, start_length)};
            }
        }
    }
}

bool SubidScan::wanted_search(std::uint64_t first, std::uint64_t end) const noexcept
{
    // The wanted ranges starting before `end`; does any reach past `first`?
    const auto after =
        std::lower_bound(sorted_.begin(), sorted_.end(), end,
                         [](const IdRange& w, std::uint64_t e) { return w.first < e; });
    const auto before = static_cast<std::size_t>(after - sorted_.begin());
    return first < end && before > 0 && reach_[before - 1] > first;
}

void SubidScan::take(const Line& line)
{
    if (line.too_long) {
        return;
    }
    const SubidLine parsed = parse_subid_line(line.text);
    if (parsed.kind != SubidLine::Kind::entry ||
        !wanted(parsed.entry.range.first, parsed.entry.range.end())) {
        return;
    }
    bool owner_checked = false;
    for (Coverage& coverage : coverage_) {
        if (!parsed.entry.range.overlaps(coverage.wanted())) {
            continue;
        }
        if (!owner_checked) {
            if (!is_caller_(parsed.entry.owner)) {
                return;
            }
            owner_checked = true;
        }
        coverage.add(parsed.entry.range);
    }
}

namespace {

// Reads the decimal digits at p (at most 10; fewer than 16 bytes before end
// are read one by one): returns how many there were, 0 if none or too many,
// and their value. Eight at a time when there is room: a byte is a digit
// iff b - '0' < 10, tested on all eight at once; borrows and carries
// cannot cross from a digit byte, so the bytes up to the first non-digit
// are judged right.
int read_digits(const char* p, const char* end, std::uint64_t& value) noexcept
{
    constexpr std::uint64_t zeros = 0x3030303030303030;
    constexpr std::uint64_t high = 0x8080808080808080;
    if (end - p >= 16) {
        std::uint64_t chunk = 0;
        std::memcpy(&chunk, p, 8);
        const std::uint64_t x = chunk - zeros;
        const std::uint64_t bad = ((x + 0x7676767676767676) | x) & high;
        const int n = bad != 0 ? __builtin_ctzll(bad) / 8 : 8;
        if (n == 0) {
            return 0;
        }
        // The n digits moved to the top bytes, then combined pairwise.
        std::uint64_t v = n == 8 ? x : x << (8 * (8 - n));
        v = (v * 10) + (v >> 8);
        v = (((v & 0x000000FF000000FF) * (100 + (1000000ULL << 32))) +
             (((v >> 16) & 0x000000FF000000FF) * (1 + (10000ULL << 32)))) >>
            32;
        value = v;
        if (n < 8) {
            return n;
        }
        int count = 8;
        for (const char* q = p + 8; count <= 10 && static_cast<unsigned char>(*q - '0') <= 9; ++q) {
            value = value * 10 + static_cast<std::uint64_t>(*q - '0');
            ++count;
        }
        return count <= 10 ? count : 0;
    }
    int count = 0;
    value = 0;
    while (p + count < end && static_cast<unsigned char>(p[count] - '0') <= 9) {
        if (++count > 10) {
            return 0;
        }
        value = value * 10 + static_cast<std::uint64_t>(p[count - 1] - '0');
    }
    return count;
}

// The eight digits of a little-endian word (the first byte the most
// significant digit), each byte already less '0'.
[[gnu::always_inline]] inline std::uint64_t eight_digits(std::uint64_t v) noexcept
{
    v = (v * 10) + (v >> 8);
    return (((v & 0x000000FF000000FF) * (100 + (1000000ULL << 32))) +
            (((v >> 16) & 0x000000FF000000FF) * (1 + (10000ULL << 32)))) >>
           32;
}

// The number in the `length` (1 to 10) bytes at p, read as if they were
// all digits; 16 bytes must be readable at p. No loop on the length: the
// digits are moved to the end of a 16-byte word, so that what follows them
// falls off, and converted eight at a time. A field that is not all digits
// gives some number: such a line is invalid, and whether it is then skipped
// or handed to the strict parser, it grants nothing.
[[gnu::always_inline]] inline std::uint64_t field_value(const char* p, unsigned length) noexcept
{
    constexpr std::uint64_t zeros = 0x3030303030303030;
    std::uint64_t lo = 0;
    std::uint64_t hi = 0;
    std::memcpy(&lo, p, 8);
    std::memcpy(&hi, p + 8, 8);
    lo -= zeros;
    hi -= zeros;
    // The 16 bytes as one 128-bit number shifted up by 48 to 120 bits.
    const unsigned shift = 8 * (16 - length);
    const std::uint64_t top = shift >= 64 ? lo << (shift - 64) : hi << shift | lo >> (64 - shift);
    const std::uint64_t bottom = shift >= 64 ? 0 : lo << shift;
    return eight_digits(bottom) * 100000000 + eight_digits(top);
}

#if defined(__SSE2__)
// Where ':' and '\n' are among the 32 bytes at p, one bit per byte.
struct LineMasks {
    std::uint32_t colons;
    std::uint32_t newlines;
};

LineMasks masks_of(const char* p) noexcept
{
    const __m128i colon = _mm_set1_epi8(':');
    const __m128i newline = _mm_set1_epi8('\n');
    const __m128i low = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i high = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16));
    const auto mask = [](__m128i bytes, __m128i c) {
        return static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, c))) & 0xffffU;
    };
    return {mask(low, colon) | mask(high, colon) << 16, mask(low, newline) | mask(high, newline)
                                                                                 << 16};
}
#endif

}  // namespace

#if defined(__SSE2__)
[[gnu::always_inline]] inline bool
SubidScan::short_line_matters(const char* line, unsigned length,
                              std::uint32_t colon_mask) const noexcept
{
    const std::uint32_t colons = colon_mask & ((1U << length) - 1);  // this line's
    const std::uint32_t rest = colons & (colons - 1);
    if (colons == 0 || rest == 0 || (rest & (rest - 1)) != 0) {
        return true;  // not two colons: take() says what it is
    }
    const auto colon1 = static_cast<unsigned>(__builtin_ctz(colons));
    const auto colon2 = static_cast<unsigned>(__builtin_ctz(rest));
    const unsigned start_length = colon2 - colon1 - 1;
    const unsigned count_length = length - colon2 - 1;
    if (colon1 == 0 || start_length - 1 >= 10 || count_length - 1 >= 10) {
        return true;
    }
    // Most lines are settled by the first eight characters of the start:
    // outside every window of its lengths, the line cannot meet a wanted
    // range. (A malformed number may pass or not: it grants nothing.)
    const char* const start_text = line + colon1 + 1;
    if (use_prefix_windows_) {
        std::uint64_t prefix = 0;
        std::memcpy(&prefix, start_text, 8);
        prefix = __builtin_bswap64(prefix);
        const unsigned known = start_length < 8 ? start_length : 8;
        prefix &= ~std::uint64_t{0} << (8 * (8 - known));
        const PrefixCell& cell = prefix_windows_[start_length][count_length];
        bool maybe = false;
        for (unsigned i = 0; i < cell.count; ++i) {
            maybe |= prefix >= cell.windows[i].low && prefix <= cell.windows[i].high;
        }
        if (!maybe) {
            return false;
        }
    }
    const std::uint64_t start = field_value(start_text, start_length);
    const std::uint64_t count = field_value(line + colon2 + 1, count_length);
    return count > 0 && wanted(start, start + count);
}
#endif

std::size_t SubidScan::fast_lines(std::string_view chunk)
{
    // One pass per line for the usual "owner:digits:digits\n". Lines of up
    // to 31 bytes are measured all at once (where the two colons and the
    // newline are); longer ones byte by byte, the numbers read as they come.
    // Only lines whose range might meet a wanted one, and anything unusual,
    // go to take(), which parses them strictly.
    const char* p = chunk.data();
    const char* const end = p + chunk.size();
    while (p < end) {
        const char* const line = p;
        std::uint64_t fields[2] = {0, 0};
        bool plain = false;
#if defined(__SSE2__)
        if (end - p >= 48) {  // room for the masks, and for 16-byte reads of a field in them
            const LineMasks m = masks_of(p);
            if (m.newlines != 0) {  // a line of up to 31 bytes: the usual case
                const auto length = static_cast<unsigned>(__builtin_ctz(m.newlines));
                p += length + 1;
                if (short_line_matters(line, length, m.colons)) {
                    take(Line{std::string_view(line, length), 0, false});
                }
                continue;
            }
        }
#endif
        while (p < end && *p != ':' && *p != '\n') {
            ++p;
        }
        plain = p < end && *p == ':' && p != line;
        for (int f = 0; plain && f < 2; ++f) {
            ++p;
            const int n = read_digits(p, end, fields[f]);
            p += n;
            plain = n > 0 && p < end && *p == (f == 0 ? ':' : '\n');
        }
        if (plain) {
            ++p;  // past the '\n'
            if (fields[1] > 0 && wanted(fields[0], fields[0] + fields[1])) {
                take(
                    Line{std::string_view(line, static_cast<std::size_t>(p - line - 1)), 0, false});
            }
            continue;
        }
        const void* newline = std::memchr(line, '\n', static_cast<std::size_t>(end - line));
        if (newline == nullptr) {
            return static_cast<std::size_t>(line - chunk.data());
        }
        const auto length = static_cast<std::size_t>(static_cast<const char*>(newline) - line);
        take(Line{std::string_view(line, length), 0, length > max_subid_line});
        p = static_cast<const char*>(newline) + 1;
    }
    return chunk.size();
}

bool SubidScan::complete() const
{
    return std::all_of(coverage_.begin(), coverage_.end(),
                       [](const Coverage& c) { return c.complete(); });
}

void SubidScan::feed(std::string_view chunk)
{
    auto on_line = [this](const Line& line) { take(line); };
    if (lines_.pending()) {
        // Finish the line split across chunks through the splitter.
        const std::size_t newline = chunk.find('\n');
        if (newline == std::string_view::npos) {
            lines_.feed(chunk, on_line);
            return;
        }
        lines_.feed(chunk.substr(0, newline + 1), on_line);
        chunk.remove_prefix(newline + 1);
    }
    const std::size_t done = fast_lines(chunk);
    lines_.feed(chunk.substr(done), on_line);  // an unfinished last line, if any
}

void SubidScan::finish()
{
    lines_.finish([this](const Line& line) { take(line); });
}

}  // namespace idmap
