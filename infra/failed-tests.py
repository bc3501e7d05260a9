#!/usr/bin/env python3
"""Prints the failed tests of the .trx files given, with the first lines of each failure's message.

infra/test.sh calls it when `dotnet test` fails: the console log of a whole run is long, and a CI
that keeps only its tail would otherwise hide which project and test failed."""
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}

failed = 0
for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as error:
        print(f"  (cannot read {path}: {error})")
        continue
    for result in root.iterfind(".//t:UnitTestResult", NS):
        if result.get("outcome") not in ("Failed", "Error", "Aborted", "Timeout"):
            continue
        failed += 1
        print(f"FAILED {result.get('testName')} [{result.get('duration')}]")
        message = result.find("t:Output/t:ErrorInfo/t:Message", NS)
        stack = result.find("t:Output/t:ErrorInfo/t:StackTrace", NS)
        for text, limit in ((message, 12), (stack, 6)):
            if text is not None and text.text:
                for line in text.text.strip().splitlines()[:limit]:
                    print(f"    {line}")
print(f"== {failed} failed test(s)" if failed else "== no failed test in the result files (a test host may have crashed: see above)")
