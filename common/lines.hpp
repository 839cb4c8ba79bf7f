// Splitting a stream into lines in constant memory: chunks go in, whole
// lines come out. A line longer than the limit is reported as too long
// (and its text dropped) instead of growing a buffer without bound.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace idmap {

struct Line {
    std::string_view text;  // without the '\n'; empty if too_long
    std::uint64_t number;   // from 1
    bool too_long;
};

class LineSplitter {
public:
    explicit LineSplitter(std::size_t max_line) : max_line_(max_line) {}

    // Calls on_line(const Line&) for every line completed by chunk.
    template <typename OnLine> void feed(std::string_view chunk, OnLine&& on_line);

    // Whether part of a line is waiting for the rest.
    [[nodiscard]] bool pending() const noexcept { return !carry_.empty() || carry_too_long_; }

    // Calls on_line for a last line that had no '\n'.
    template <typename OnLine> void finish(OnLine&& on_line);

private:
    template <typename OnLine> void emit(std::string_view text, OnLine& on_line);

    std::size_t max_line_;
    std::string carry_;  // start of a line split across chunks
    bool carry_too_long_ = false;
    std::uint64_t number_ = 0;
};

// The lines of one chunk, to be gone through more than once (to look a few
// lines ahead) before the chunk goes: a line inside the chunk is kept as a
// view of it, one joined from pieces of two chunks is copied.
class LineBatch {
public:
    explicit LineBatch(std::string_view chunk = {}) : chunk_(chunk) {}
    // The chunk the following lines come from (clears the batch).
    void start(std::string_view chunk) noexcept
    {
        clear();
        chunk_ = chunk;
    }
    void add(const Line& line)
    {
        const char* p = line.text.data();
        // std::less_equal: the text may be in another object (a line joined
        // from two chunks), and only it orders unrelated pointers.
        const std::less_equal<const char*> before_or_at;
        const bool inside = p != nullptr && before_or_at(chunk_.data(), p) &&
                            before_or_at(p + line.text.size(), chunk_.data() + chunk_.size());
        if (inside) {
            items_.push_back({line.text, 0, false, line.number, line.too_long});
        } else {
            // The text is offset and length in copy_ (which may still move).
            items_.push_back({std::string_view(), copy_.size(), true, line.number, line.too_long});
            items_.back().length = line.text.size();
            copy_.append(line.text);
        }
    }
    [[nodiscard]] std::size_t size() const noexcept { return items_.size(); }
    [[nodiscard]] Line operator[](std::size_t i) const noexcept
    {
        const Item& item = items_[i];
        const std::string_view text =
            item.copied ? std::string_view(copy_).substr(item.offset, item.length) : item.text;
        return Line{text, item.number, item.too_long};
    }
    void clear() noexcept
    {
        items_.clear();
        copy_.clear();
    }

private:
    struct Item {
        std::string_view text;  // into the chunk, unless copied
        std::size_t offset;     // in copy_, if copied
        bool copied;
        std::uint64_t number;
        bool too_long;
        std::size_t length = 0;  // in copy_, if copied
    };
    std::string_view chunk_;
    std::vector<Item> items_;
    std::string copy_;
};

template <typename OnLine> void LineSplitter::emit(std::string_view text, OnLine& on_line)
{
    ++number_;
    const bool too_long = carry_too_long_ || text.size() > max_line_;
    on_line(Line{too_long ? std::string_view{} : text, number_, too_long});
    carry_.clear();
    carry_too_long_ = false;
}

template <typename OnLine> void LineSplitter::feed(std::string_view chunk, OnLine&& on_line)
{
    while (!chunk.empty()) {
        const std::size_t newline = chunk.find('\n');
        const std::string_view piece = chunk.substr(0, newline);
        if (newline == std::string_view::npos) {
            if (!carry_too_long_ && carry_.size() + piece.size() <= max_line_) {
                carry_.append(piece);
            } else {
                carry_too_long_ = true;
                carry_.clear();
            }
            return;
        }
        if (carry_.empty() && !carry_too_long_) {
            emit(piece, on_line);  // the common case: no copy
        } else {
            if (!carry_too_long_ && carry_.size() + piece.size() <= max_line_) {
                carry_.append(piece);
            } else {
                carry_too_long_ = true;
            }
            const std::string joined = std::move(carry_);
            carry_.clear();
            emit(joined, on_line);
        }
        chunk.remove_prefix(newline + 1);
    }
}

template <typename OnLine> void LineSplitter::finish(OnLine&& on_line)
{
    if (!carry_.empty() || carry_too_long_) {
        const std::string last = std::move(carry_);
        carry_.clear();
        emit(last, on_line);
    }
}

}  // namespace idmap
