import CTimelineSupport
import Testing

@testable import TimelineCore

/// The fast parser's shortcuts for strings whose first character is escaped (how a writer that escapes
/// each string's first character writes every value) against the general way: dates read by
/// `plainDate` after their escaped first digit (`FastEventParser.leadingEscapedDate`), and titles known not to be blank
/// from their escaped first character (`FastEventParser.isBlank`).
@Suite struct EscapedFastPathTests {
  /// What `date` came to (the date, whether approximate, where the cursor went) or why it stopped;
  /// with `general`, what `string`, `JSONString.decode` and `TimelineDate.parse` come to.
  private func dateOutcome(_ bytes: [UInt8], general: Bool) -> String {
    bytes.withUnsafeBufferPointer { b in
      let scratch = DecodeScratch()
      var c = FastEventParser.Cursor(base: b.baseAddress!, end: b.count, pos: 0, hex: ByteScan.hexTable)
      do throws(FastEventParser.Stop) {
        let d: TimelineDate
        if general {
          let s = try c.string()
          guard case .success(let parsed) = TimelineDate.parse(scratch.decode(c.bytes(s.start, s.length), escaped: s.escaped)) else {
            throw .anomaly
          }
          d = parsed
        } else {
          d = try c.date(scratch)
        }
        return "\(d) \(d.isApproximate) \(c.pos)"
      } catch {
        return "\(error)"
      }
    }
  }

  /// Dates of every usual form and near misses with their first digit escaped as `\u00XX`, then each
  /// byte of the first 22 after the opening quote (the escape's, the date's, the quote's and what
  /// follows, all that the shortcut looks at) set to every byte value in turn: `date` reads what the
  /// general way reads, or stops where it stops. The shortcut is taken for the usual forms.
  @Test func escapedDatesReadAsTheGeneralWay() {
    let dates = [
      "1995-01-01", "1995-01", "1995", "2024-02-29", "2023-02-29", "1995-01-01~", "1995-01~", "1995~", "0000-12-31", "1995-13-01",
      "1995-00-10", "1995-01-32", "1995-1-01", "19950", "1995-01-01T10:30",
    ]
    var failures: [String] = []
    var taken = 0
    var cases = 0
    for date in dates {
      let first = date.utf8.first!
      let escape = "\\u00" + String(first, radix: 16, uppercase: cases % 2 == 0)
      let content = Array((escape + date.dropFirst()).utf8)
      let tail = Array("\", \"title\": \"x\"}".utf8) + Array(repeating: UInt8(ascii: " "), count: 24)
      let original = [UInt8(ascii: "\"")] + content + tail
      let plain = dateOutcome(original, general: false)
      if !plain.hasPrefix("anomaly") {
        if original.withUnsafeBufferPointer({ FastEventParser.leadingEscapedDate($0.baseAddress! + 1, ByteScan.hexTable) }) != nil { taken += 1 }
      }
      for k in 1...22 {
        for v in 0...255 {
          var bytes = original
          bytes[k] = UInt8(v)
          cases += 1
          let fast = dateOutcome(bytes, general: false)
          let general = dateOutcome(bytes, general: true)
          if fast != general { failures.append("\(String(decoding: bytes.prefix(24), as: UTF8.self).debugDescription): \(fast) against \(general)") }
        }
      }
      // Cut by the end of the buffer anywhere: the shortcut then leaves the date to the general way.
      for cut in 1..<original.count {
        let bytes = Array(original[..<cut])
        let fast = dateOutcome(bytes, general: false)
        let general = dateOutcome(bytes, general: true)
        if fast != general { failures.append("cut \(cut) \(date): \(fast) against \(general)") }
      }
    }
    #expect(failures.isEmpty, "\(failures.count) differ, first: \(failures.prefix(3))")
    // Every usual form (the first eight) read in place.
    #expect(taken >= 8, "\(taken)")
    #expect(cases > 80000)
  }

  /// `FastEventParser.isBlank` against `Rules.isBlank`: strings starting with `\u00XX` for every byte
  /// value, and with other escapes of white space and not, then nothing, white space (raw and escaped)
  /// or a letter; and each of the escape's bytes set to every byte value.
  @Test func escapedTitlesBlankAsRulesIsBlank() {
    var firsts: [String] = (0...255).map { "\\u00" + String(format2($0)) }
    firsts += ["\\u2000", "\\u3000", "\\u00A0", "\\u0085", "\\uFEFF", "\\u200B", "\\u1680", "\\u0041", "\\n", "\\t", "\\\"", "\\\\", "\\/", " "]
    let rests = ["", " ", "a", "\\u0020", "\\u00a0", "\u{3000}", "\\n", "\\u0041", "  \\t"]
    var failures: [String] = []
    var shortcut = 0
    func check(_ bytes: [UInt8]) {
      let fast = bytes.withUnsafeBufferPointer { FastEventParser.isBlank($0, escaped: true, hex: ByteScan.hexTable) }
      let general = bytes.withUnsafeBufferPointer { Rules.isBlank($0, escaped: true) }
      if fast != general { failures.append("\(String(decoding: bytes, as: UTF8.self).debugDescription): \(fast) against \(general)") }
    }
    for first in firsts {
      for rest in rests {
        let bytes = Array((first + rest).utf8)
        check(bytes)
        if bytes.count >= 6, bytes[0] == UInt8(ascii: "\\"), bytes[2] == UInt8(ascii: "0"), bytes[3] == UInt8(ascii: "0") { shortcut += 1 }
        if first == "\\u0041" || first == "\\u0020" {
          for k in 0..<6 {
            for v in 0...255 {
              var mutated = bytes
              mutated[k] = UInt8(v)
              check(mutated)
            }
          }
        }
      }
    }
    #expect(failures.isEmpty, "\(failures.count) differ, first: \(failures.prefix(3))")
    #expect(shortcut > 2000)
  }

  private func format2(_ v: Int) -> String { v < 16 ? "0" + String(v, radix: 16) : String(v, radix: 16) }
}
