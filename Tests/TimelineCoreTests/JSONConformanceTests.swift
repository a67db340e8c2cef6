import Foundation
import Testing

@testable import TimelineCore

/// JSONTestSuite-style cases (written here, in its naming: `y_` must be accepted, `n_` refused, `i_` is
/// the implementation's choice) through every path a file can take (the reference decoder in memory,
/// the streaming parser on one thread, on two) and every place in a timeline where JSON can stand (an
/// extension value inside an event, before and after the events, a title, the whole file, after the
/// document). Every path must give the same answer, the expected one for `y_` and `n_`, and none may
/// crash.
@Suite("JSON conformance on every path")
struct JSONConformanceTests {
  struct Case: CustomStringConvertible, Sendable {
    var name: String
    var bytes: [UInt8]
    var description: String { name }
    var label: Character { name.first! }
  }

  static func c(_ name: String, _ text: String) -> Case { Case(name: name, bytes: Array(text.utf8)) }
  static func c(_ name: String, bytes: [UInt8]) -> Case { Case(name: name, bytes: bytes) }

  /// String tokens (quotes included): the title place uses them as they are, the others inside `[...]`.
  static let strings: [Case] = [
    c("y_string_empty", #""""#), c("y_string_simple", #""asd""#), c("y_string_space", #"" ""#),
    c("y_string_allowed_escapes", #""\"\\\/\b\f\n\r\t""#), c("y_string_u_escape", #""\u0061\u30af\u30EA\u30b9""#),
    c("y_string_null_escape", #""\u0000""#), c("y_string_surrogate_pair", #""\ud834\udd1e""#),
    c("y_string_last_surrogates", #""\uDBFF\uDFFF""#), c("y_string_nonchar_escape", #""\uFFFF""#),
    c("y_string_two_byte_utf8", "\"\u{E9}t\u{E9}\""), c("y_string_three_byte_utf8", "\"\u{20AC}\u{6771}\""),
    c("y_string_four_byte_utf8", "\"\u{1D11E}\u{1F389}\""), c("y_string_u2028_raw", "\"a\u{2028}b\u{2029}\""),
    c("y_string_u2028_escaped", #""\u2028\u2029""#), c("y_string_nbsp_escaped", #""\u00a0""#),
    c("y_string_del_raw", "\"a\u{7F}b\""), c("y_string_comments_inside", #""a/*b*/c//d""#),
    c("y_string_escaped_quote_at_end", #""\"""#), c("y_string_backslash_u", #""\\u0041""#),
    c("y_string_long_ascii", "\"" + String(repeating: "abcdefghij", count: 500) + "\""),
    c("y_string_unicode_U+10FFFE", "\"\u{10FFFE}\""), c("y_string_escaped_noncharacter", #""\uFDD0""#),
    c("n_string_single_quote", "'a'"), c("n_string_unterminated", #""abc"#), c("n_string_escape_x", #""\x41""#),
    c("n_string_escape_short_u", #""\u12""#), c("n_string_escape_bad_hex", #""\u00G0""#),
    c("n_string_escaped_apostrophe", #""\'""#), c("n_string_backslash_at_end", #""\""#),
    c("n_string_raw_tab", "\"a\tb\""), c("n_string_raw_newline", "\"a\nb\""), c("n_string_raw_ctrl", "\"a\u{01}b\""),
    c("n_string_raw_nul", bytes: [0x22, 0x61, 0x00, 0x62, 0x22]), c("n_string_escaped_emoji", "\"\\\u{1F389}\""),
    c("n_string_escape_capital_U", #""\U0041""#), c("n_string_no_quotes", "abc"),
    c("i_string_lone_high_surrogate", #""\ud800""#), c("i_string_lone_low_surrogate", #""\udc00""#),
    c("i_string_inverted_surrogates", #""\udd1e\ud834""#), c("i_string_high_then_escape", #""\ud800\n""#),
    c("i_string_high_then_high", #""\ud800\ud800""#),
    c("i_string_invalid_utf8_ff", bytes: [0x22, 0xFF, 0x22]), c("i_string_overlong_2", bytes: [0x22, 0xC0, 0xAF, 0x22]),
    c("i_string_overlong_3", bytes: [0x22, 0xE0, 0x80, 0xAF, 0x22]),
    c("i_string_encoded_surrogate", bytes: [0x22, 0xED, 0xA0, 0x80, 0x22]),
    c("i_string_beyond_10FFFF", bytes: [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22]),
    c("i_string_truncated_utf8", bytes: [0x22, 0xE2, 0x82, 0x22]), c("i_string_lone_continuation", bytes: [0x22, 0x80, 0x22]),
    c("i_string_latin1", bytes: [0x22, 0xE9, 0x22]),
  ]

  /// Whole JSON texts.
  static let texts: [Case] = [
    c("y_array_empty", "[]"), c("y_object_empty", "{}"), c("y_array_null_true_false", "[null,true,false]"),
    c("y_array_spaces", "[ 1 ,\t2\r\n, 3 ]"), c("y_array_nested", "[[[[]]],[[],{}]]"),
    c("y_object_nested", #"{"a":{"b":{"c":[1,{"d":null}]}}}"#), c("y_object_empty_key", #"{"":0}"#),
    c("y_object_duplicate_keys", #"{"a":"b","a":"c"}"#), c("y_object_escaped_key", #"{"\u0061":1}"#),
    c("y_number_zero", "0"), c("y_number_minus_zero", "-0"), c("y_number_int", "123"), c("y_number_negative", "-123"),
    c("y_number_fraction", "1.5"), c("y_number_exponent", "1e22"), c("y_number_capital_E", "1E+2"),
    c("y_number_neg_exponent", "1.5e-10"), c("y_number_zero_exponent", "0e1"), c("y_number_zero_E_plus", "0E+1"),
    c("y_number_real_neg", "-1.0E+2"), c("y_number_in_array", "[20e1, 123e65, 1E-2]"),
    c("y_literal_true", "true"), c("y_literal_false", "false"), c("y_literal_null", "null"),
    c("y_structure_whitespace_around", " \t\r\n[1] \n"), c("y_structure_string", #""a""#),
    c("n_number_leading_zero", "[01]"), c("n_number_neg_leading_zero", "[-01]"), c("n_number_trailing_dot", "[1.]"),
    c("n_number_leading_dot", "[.1]"), c("n_number_no_exponent_digits", "[1e]"), c("n_number_exponent_sign_only", "[1e+]"),
    c("n_number_plus", "[+1]"), c("n_number_hex", "[0x1]"), c("n_number_two_dots", "[1.2.3]"),
    c("n_number_minus_space", "[- 1]"), c("n_number_underscore", "[1_000]"), c("n_number_infinity", "[Infinity]"),
    c("n_number_nan", "[NaN]"), c("n_number_minus", "[-]"), c("n_number_dot_exponent", "[2.e3]"),
    c("n_number_zero_dot_e", "[0.e1]"), c("n_number_space_inside", "[1 000]"), c("n_number_fullwidth", "[\u{FF11}]"),
    c("n_number_then_letter", "[1ea]"), c("n_number_zero_e", "[0e]"),
    c("n_array_trailing_comma", "[1,]"), c("n_array_leading_comma", "[,1]"), c("n_array_double_comma", "[1,,2]"),
    c("n_array_unclosed", "[1"), c("n_array_unopened", "1]"), c("n_array_extra_close", "[1]]"),
    c("n_array_missing_comma", "[1 2]"), c("n_array_colon", "[1:2]"), c("n_array_just_comma", "[,]"),
    c("n_object_trailing_comma", #"{"a":1,}"#), c("n_object_no_value", #"{"a"}"#), c("n_object_missing_value", #"{"a":}"#),
    c("n_object_unquoted_key", "{a:1}"), c("n_object_no_colon", #"{"a" 1}"#), c("n_object_number_key", "{1:1}"),
    c("n_object_single_quotes", "{'a':1}"), c("n_object_extra_close", #"{"a":1}}"#), c("n_object_unclosed", #"{"a":1"#),
    c("n_object_comma_instead_of_colon", #"{"a",1}"#), c("n_object_array_as_key", "{[1]:1}"),
    c("n_structure_open_bracket", "["), c("n_structure_close_bracket", "]"), c("n_structure_open_brace", "{"),
    c("n_structure_close_brace", "}"), c("n_structure_trailing_garbage", "[1] x"), c("n_structure_trailing_letter", "[1]x"),
    c("n_structure_two_values", "[1] [2]"), c("n_structure_comment_line", "[1] // c"), c("n_structure_comment_block", "[1 /* c */]"),
    c("n_structure_hash", "[1]#"), c("n_structure_empty", ""), c("n_structure_space", " "),
    c("n_structure_bom_inside", "[\u{FEFF}1]"), c("n_structure_nbsp_as_space", "[\u{A0}1]"), c("n_structure_formfeed", "[\u{0C}1]"),
    c("n_structure_vertical_tab", "[\u{0B}1]"), c("n_structure_nul", bytes: [0x5B, 0x00, 0x5D]),
    c("n_literal_tru", "[tru]"), c("n_literal_nul", "[nul]"), c("n_literal_True", "[True]"), c("n_literal_fals", "[fals]"),
    c("n_literal_no_comma", "[true false]"), c("n_literal_nulll", "[nulll]"), c("n_structure_angle", "<.>"),
    c("n_structure_100000_opening_arrays", String(repeating: "[", count: 100_000)),
    c("n_structure_unclosed_object_in_array", #"[{"a":1"#), c("n_structure_lone_minus", "-"),
    c("i_number_huge_exponent", "[1e99999]"), c("i_number_huge_negative_exponent", "[-1e-99999]"),
    c("i_number_huge_int", "[100000000000000000000000000000000000000000]"), c("i_number_long", "[" + String(repeating: "9", count: 5000) + "]"),
    c("i_structure_500_nested_arrays", String(repeating: "[", count: 500) + String(repeating: "]", count: 500)),
    c("i_structure_65_nested_arrays", String(repeating: "[", count: 65) + String(repeating: "]", count: 65)),
    c("y_structure_64_nested_arrays", String(repeating: "[", count: 64) + String(repeating: "]", count: 64)),
    c("i_structure_utf16le_bom", bytes: [0xFF, 0xFE, 0x5B, 0x00, 0x5D, 0x00]), c("i_structure_invalid_utf8_outside", bytes: [0x5B, 0xFF, 0x5D]),
  ]

  /// Every case as a JSON value: texts as they are, strings inside an array.
  static var values: [Case] {
    texts + strings.map { Case(name: $0.name, bytes: Array("[".utf8) + $0.bytes + Array("]".utf8)) }
  }

  // MARK: - The timeline around the cases

  /// A valid timeline of `events` events; `lastEvent` adds members to the last event, `head` and `tail`
  /// add top-level members before and after the events.
  static func document(events n: Int = 48, title: [UInt8]? = nil, lastEvent: [UInt8] = [], head: [UInt8] = [], tail: [UInt8] = []) -> [UInt8] {
    var out = Array(#"{"title": "Conformance", "description": "d","#.utf8) + head
    out += Array(#""sources": [{"id": "s", "title": "S", "publisher": "P", "date": "2020", "language": "en"}],"#.utf8)
    out += Array("\n\"events\": [\n".utf8)
    for i in 0..<n {
      if i > 0 { out += Array(",\n".utf8) }
      out += Array(#"{"id": "e\#(i)", "date": "2020-08-\#(String(format: "%02d", 1 + i % 28))", "title": "#.utf8)
      out += i == n - 1 && title != nil ? title! : Array(#""Event \#(i) with some words to fill the line""#.utf8)
      out += Array(#", "summary": "A summary long enough that the events cross the small windows.", "confidence": "reported", "sources": ["s"]"#.utf8)
      if i == n - 1 { out += lastEvent }
      out += Array("}".utf8)
    }
    out += Array("\n]".utf8) + tail + Array("}\n".utf8)
    return out
  }

  static func member(_ value: [UInt8]) -> [UInt8] { Array(#""x-test": "#.utf8) + value }

  enum Verdict: Equatable, CustomStringConvertible {
    case accepted(events: Int)
    case refused
    var description: String {
      switch self {
      case .accepted(let n): "accepted (\(n) events)"
      case .refused: "refused"
      }
    }
    var isAccepted: Bool { self != .refused }
  }

  /// The verdict of each path on `bytes`: in memory, streamed on one thread, on two.
  static func verdicts(_ bytes: [UInt8], dir: URL, name: String) throws -> [(path: String, verdict: Verdict)] {
    let file = dir.appendingPathComponent(name).path
    try Data(bytes).write(to: URL(fileURLWithPath: file))
    var one = TimelineLoader.Options(forceStreaming: true, threads: 1)
    one.windowSize = 4096
    var two = TimelineLoader.Options(forceStreaming: true, threads: 2, parallelThreshold: 0)
    two.windowSize = 4096
    var out: [(String, Verdict)] = []
    for (label, options) in [("memory", TimelineLoader.Options()), ("stream-1", one), ("stream-2", two)] {
      do {
        let t = try TimelineLoader.load(path: file, options: options)
        out.append((label, .accepted(events: t.count)))
      } catch {
        guard case .invalid(let failure) = error else {
          Issue.record("\(name), \(label): expected accepted or invalid data, got \(error)")
          continue
        }
        #expect(failure.diagnostics.allSatisfy { $0.line > 0 }, "\(name), \(label): a refusal without a position")
        out.append((label, .refused))
      }
    }
    return out
  }

  static func tempDir() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("timeline-conformance-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  /// Checks that every path agrees and, when `expected` is given, that they say it.
  static func check(_ bytes: [UInt8], _ what: String, expected: Bool?, dir: URL) throws {
    let results = try verdicts(bytes, dir: dir, name: "case.json")
    guard let first = results.first else { return }
    for r in results.dropFirst() {
      #expect(r.verdict == first.verdict, "\(what): \(r.path) \(r.verdict), memory \(first.verdict)")
    }
    if let expected {
      #expect(first.verdict.isAccepted == expected, "\(what): \(first.verdict), expected \(expected ? "accepted" : "refused")")
    }
  }

  /// The base document takes the path the test means: the second thread really shares it.
  @Test func theBaseDocumentIsSharedByTwoThreads() throws {
    let dir = try Self.tempDir()
    let path = dir.appendingPathComponent("base.json").path
    for bytes in [Self.document(), Self.document(tail: Array(#", "x-after": 0"#.utf8))] {
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      var options = TimelineLoader.Options(forceStreaming: true, threads: 2, parallelThreshold: 0)
      options.windowSize = 4096
      var timings = TimelineLoader.Timings()
      _ = try TimelineLoader.load(path: path, options: options, timings: &timings)
      #expect(timings.path == "stream-2")
    }
  }

  @Test("as an extension value inside an event", arguments: values)
  func eventValue(_ c: Case) throws {
    let bytes = Self.document(lastEvent: Array(", ".utf8) + Self.member(c.bytes))
    try Self.check(bytes, "\(c) in an event", expected: c.label == "i" ? nil : c.label == "y", dir: try Self.tempDir())
  }

  @Test("as an extension member before and after the events", arguments: values)
  func topLevelValue(_ c: Case) throws {
    let dir = try Self.tempDir()
    let expected: Bool? = c.label == "i" ? nil : c.label == "y"
    try Self.check(Self.document(head: Self.member(c.bytes) + Array(",".utf8)), "\(c) before the events", expected: expected, dir: dir)
    try Self.check(Self.document(tail: Array(",".utf8) + Self.member(c.bytes)), "\(c) after the events", expected: expected, dir: dir)
  }

  @Test("as a title", arguments: strings)
  func title(_ c: Case) throws {
    // A valid string is a valid title unless it is blank (the format's rule, not JSON's).
    var expected: Bool?
    if c.label == "n" { expected = false }
    if c.label == "y", let s = try? JSONSerialization.jsonObject(with: Data(c.bytes), options: .fragmentsAllowed) as? String {
      expected = !Rules.isBlank(s)
    }
    try Self.check(Self.document(title: c.bytes), "\(c) as a title", expected: expected, dir: try Self.tempDir())
  }

  @Test("a valid string decodes to what Foundation's JSONSerialization reads, on every path", arguments: strings.filter { $0.label == "y" })
  func decodedTitles(_ c: Case) throws {
    let expected = try #require(try JSONSerialization.jsonObject(with: Data(c.bytes), options: .fragmentsAllowed) as? String)
    guard !Rules.isBlank(expected) else { return }
    let dir = try Self.tempDir()
    let path = dir.appendingPathComponent("title.json").path
    try Data(Self.document(title: c.bytes)).write(to: URL(fileURLWithPath: path))
    var one = TimelineLoader.Options(forceStreaming: true, threads: 1)
    one.windowSize = 4096
    for options in [TimelineLoader.Options(), one] {
      let t = try TimelineLoader.load(path: path, options: options)
      let title = try #require((0..<t.count).map { t.title(at: $0) }.first { !$0.hasPrefix("Event ") })
      #expect(Array(title.unicodeScalars) == Array(expected.unicodeScalars), "\(c)")
    }
  }

  @Test("as the whole file, and after a valid document", arguments: values)
  func wholeAndAfter(_ c: Case) throws {
    let dir = try Self.tempDir()
    try Self.check(c.bytes, "\(c) as the whole file", expected: false, dir: dir)
    // After the document only whitespace may come.
    let onlySpace = c.bytes.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    for (label, tail) in [("", [UInt8]()), (" with a member after the events", Array(#", "x-after": 0"#.utf8))] {
      let bytes = Self.document(tail: tail) + Array("\n".utf8) + c.bytes
      try Self.check(bytes, "\(c) after the document\(label)", expected: onlySpace, dir: dir)
    }
  }
}
