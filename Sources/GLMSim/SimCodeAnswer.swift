import Foundation

/// Code generation for a few small tasks GLMSim can really solve: it recognises the task by its
/// words (palindrome, FizzBuzz, word counts, Celsius to Fahrenheit), names the function as the
/// task does (`a function fizzbuzz(n)`), and answers in code blocks only — a commented function
/// in the requested language and, unless the prompt says tests: no, a second block of unit tests
/// in the language's standard framework. Python's code and tests run; an unknown task gets a
/// commented stub that raises, so a check that runs the code reports it honestly.
struct SimCodeAnswer {
    var language: String
    var task: String
    var withTests: Bool

    static let languages = ["python", "swift", "go", "typescript", "rust", "java", "javascript"]

    /// nil unless the request asks for code: a `Language:` line or a known language named in an
    /// instruction that mentions code.
    init?(system: String, user: String) {
        let all = system + "\n" + user
        guard all.range(of: #"(?i)\bcode\b"#, options: .regularExpression) != nil else { return nil }
        let named = Self.line("language", in: user)?.lowercased()
        guard let lang = named ?? Self.languages.first(where: { SimWords.words(all).contains($0) }) else { return nil }
        language = lang
        task = Self.line("task", in: user) ?? user
        let testLine = user.split(separator: "\n").first { $0.lowercased().contains("test") }.map(String.init) ?? ""
        withTests = !testLine.lowercased().hasSuffix("no")
    }

    static func line(_ label: String, in text: String) -> String? {
        for l in text.split(separator: "\n") where l.lowercased().hasPrefix(label + ":") {
            return l.dropFirst(label.count + 1).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    enum Recipe: CaseIterable {
        case palindrome, fizzbuzz, wordCounts, celsius

        var words: Set<String> {
            switch self {
            case .palindrome: return ["palindrom"]
            case .fizzbuzz: return ["fizzbuzz"]
            case .wordCounts: return ["word", "frequency", "count"]
            case .celsius: return ["celsiu", "fahrenheit"]
            }
        }

        var defaultName: String {
            switch self {
            case .palindrome: return "is_palindrome"
            case .fizzbuzz: return "fizzbuzz"
            case .wordCounts: return "word_counts"
            case .celsius: return "celsius_to_fahrenheit"
            }
        }
    }

    var recipe: Recipe? {
        let t = SimWords.terms(task)
        let scored = Recipe.allCases.map { ($0, Set($0.words.map(SimWords.stem)).intersection(t).count) }
        return scored.filter { $0.1 > 0 }.max { $0.1 < $1.1 }?.0
    }

    /// `function fizzbuzz(n)` → "fizzbuzz".
    var functionName: String {
        if let r = task.range(of: #"function\s+([A-Za-z_][A-Za-z0-9_]*)\s*\("#, options: .regularExpression) {
            return String(task[r].dropFirst("function".count).dropLast()).trimmingCharacters(in: .whitespaces)
        }
        return recipe?.defaultName ?? "solve"
    }

    var answer: String {
        let fence = language == "python" ? "python" : language
        var out = "```\(fence)\n\(code)```"
        if withTests { out += "\n\n```\(fence)\n\(tests)```" }
        return out
    }

    var code: String {
        let f = functionName
        switch (language, recipe) {
        case ("python", .palindrome?):
            return """
                # Checks whether a string reads the same backwards, ignoring case, spaces and punctuation.


                def \(f)(text):
                    \"\"\"Return True when text is a palindrome; text: any string.\"\"\"
                    letters = [c.lower() for c in text if c.isalnum()]  # keep letters and digits only
                    return letters == letters[::-1]

                """
        case ("python", .fizzbuzz?):
            return """
                # FizzBuzz: the numbers 1..n with multiples of 3, 5 and 15 replaced by words.


                def \(f)(n):
                    \"\"\"Return the list of FizzBuzz strings for 1..n; n: the last number.\"\"\"
                    out = []
                    for i in range(1, n + 1):
                        word = ("Fizz" if i % 3 == 0 else "") + ("Buzz" if i % 5 == 0 else "")
                        out.append(word or str(i))
                    return out

                """
        case ("python", .wordCounts?):
            return """
                # Counts lower-cased words in a text, ignoring punctuation.
                import re


                def \(f)(text):
                    \"\"\"Return a dict word -> count; text: any string.\"\"\"
                    counts = {}
                    for word in re.findall(r"[a-z0-9']+", text.lower()):
                        word = word.strip("'")  # quotes around a word are punctuation
                        if word:
                            counts[word] = counts.get(word, 0) + 1
                    return counts

                """
        case ("python", .celsius?):
            return """
                # Converts a temperature from degrees Celsius to degrees Fahrenheit.


                def \(f)(c):
                    \"\"\"Return c degrees Celsius in Fahrenheit; c: a number.\"\"\"
                    return c * 9 / 5 + 32

                """
        case ("go", .palindrome?):
            return """
                // Package palindrome checks strings that read the same backwards.
                package palindrome

                import "unicode"

                // IsPalindrome reports whether s is a palindrome, ignoring case, spaces and punctuation.
                func IsPalindrome(s string) bool {
                \tvar r []rune
                \tfor _, c := range s {
                \t\tif unicode.IsLetter(c) || unicode.IsDigit(c) {
                \t\t\tr = append(r, unicode.ToLower(c))
                \t\t}
                \t}
                \tfor i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
                \t\tif r[i] != r[j] {
                \t\t\treturn false
                \t\t}
                \t}
                \treturn true
                }

                """
        case ("swift", .palindrome?):
            return """
                // Checks whether a string reads the same backwards, ignoring case, spaces and punctuation.

                /// Returns true when `text` is a palindrome.
                /// - Parameter text: any string.
                func isPalindrome(_ text: String) -> Bool {
                    let letters = text.lowercased().filter { $0.isLetter || $0.isNumber }
                    return letters == String(letters.reversed())
                }

                """
        case ("python", nil):
            return """
                # \(task)


                def \(f)(*args):
                    \"\"\"Not solved by GLMSim: it only knows a few small tasks.\"\"\"
                    raise NotImplementedError("GLMSim cannot write this function")

                """
        default:
            let comment = ["python", "ruby"].contains(language) ? "#" : "//"
            return "\(comment) \(task)\n\(comment) GLMSim writes this task only in Python.\n"
        }
    }

    var tests: String {
        let f = functionName
        switch (language, recipe) {
        case ("python", let r):
            let check: String
            switch r {
            case .palindrome?:
                check = "self.assertTrue(\(f)(\"Never odd or even\"))\n        self.assertFalse(\(f)(\"GLMSim\"))"
            case .fizzbuzz?:
                check = "self.assertEqual(\(f)(15)[-1], \"FizzBuzz\")\n        self.assertEqual(\(f)(3)[-1], \"Fizz\")"
            case .wordCounts?:
                check = "self.assertEqual(\(f)(\"The cat; the hat!\"), {\"the\": 2, \"cat\": 1, \"hat\": 1})"
            case .celsius?: check = "self.assertEqual(\(f)(100), 212)\n        self.assertEqual(\(f)(-40), -40)"
            case nil: check = "self.assertRaises(NotImplementedError, \(f))"
            }
            return """
                # Unit tests for \(f).
                import unittest


                class Test\(f.split(separator: "_").map(\.capitalized).joined())(unittest.TestCase):
                    def test_examples(self):
                        \(check)


                if __name__ == "__main__":
                    unittest.main()

                """
        case ("go", .palindrome?):
            return """
                // Tests for IsPalindrome.
                package palindrome

                import "testing"

                func TestIsPalindrome(t *testing.T) {
                \tif !IsPalindrome("A man, a plan, a canal: Panama") || IsPalindrome("GLMSim") {
                \t\tt.Fatal("IsPalindrome is wrong")
                \t}
                }

                """
        case ("swift", .palindrome?):
            return """
                // Tests for isPalindrome.
                import XCTest

                final class PalindromeTests: XCTestCase {
                    func testExamples() {
                        XCTAssertTrue(isPalindrome("A man, a plan, a canal: Panama"))
                        XCTAssertFalse(isPalindrome("GLMSim"))
                    }
                }

                """
        default:
            return "\(language == "python" ? "#" : "//") No tests: GLMSim writes this task only in Python.\n"
        }
    }
}
