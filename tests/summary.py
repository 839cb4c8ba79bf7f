#!/usr/bin/env python3
"""Counts the individual test cases in meson's JUnit log (GoogleTest cases
included) and prints one closing line: 'N passed, N failed, N skipped'."""
import sys
import xml.etree.ElementTree as ET


def main(paths: list) -> int:
    passed = failed = skipped = 0
    cases = [case for path in paths for case in ET.parse(path).getroot().iter("testcase")]
    for case in cases:
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        elif case.find("skipped") is not None or case.get("status") == "notrun":
            skipped += 1
        else:
            passed += 1
    if passed + failed + skipped == 0:
        print("tests/summary: no test case ran", file=sys.stderr)
        return 1
    print(f"test cases: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
