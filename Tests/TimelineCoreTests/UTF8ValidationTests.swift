import CTimelineSupport
import Testing

@testable import TimelineCore

/// The vector UTF-8 check (`timeline_utf8_valid`, used by `UTF8DFA.run` between character boundaries)
/// against the automaton alone (`UTF8DFA.scalar`), on every pair of bytes, on three- and four-byte
/// sequences around each rule's edges, at every place in a 32-byte block, cut at the end, and on random
/// text read in pieces.
@Suite struct UTF8ValidationTests {
  /// The automaton's answer for the bytes as a whole.
  private func reference(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBufferPointer { UTF8DFA.scalar($0.baseAddress!, $0.count, from: UTF8DFA.accept) == UTF8DFA.accept }
  }

  /// `run`'s answer, and the vector code's own where the machine has it (nil where it does not).
  private func answers(_ bytes: [UInt8]) -> (run: Bool, vector: Bool?) {
    bytes.withUnsafeBufferPointer { b in
      let run = UTF8DFA.run(b.baseAddress!, b.count, from: UTF8DFA.accept) == UTF8DFA.accept
      let v = timeline_utf8_valid(b.baseAddress!, b.count)
      return (run, v < 0 ? nil : v == 1)
    }
  }

  /// Checks `sequence` placed at `offset` in ASCII text long enough for the vector code, and the same
  /// text cut just after each of the sequence's bytes (a character unfinished at the end).
  private func check(_ sequence: [UInt8], at offset: Int, length: Int = 100, failures: inout [String]) {
    var text = [UInt8](repeating: UInt8(ascii: "a"), count: length)
    text.replaceSubrange(offset..<offset + sequence.count, with: sequence)
    var cases = [text]
    for cut in 1...sequence.count { cases.append(Array(text[..<(offset + cut)])) }
    for bytes in cases where bytes.count >= 64 {
      let expected = reference(bytes)
      let (run, vector) = answers(bytes)
      if run != expected || (vector != nil && vector != expected) {
        failures.append("\(sequence.map { String($0, radix: 16) }) at \(offset) of \(bytes.count): expected \(expected), run \(run), vector \(vector.map(String.init) ?? "none")")
      }
    }
  }

  @Test func everyPairOfBytesAtEveryPlace() {
    var failures: [String] = []
    var k = 0
    for b0 in 0...255 {
      for b1 in 0...255 {
        for tail in [[0x80, 0x80], [0x41, 0x41]] as [[UInt8]] {
          // Offsets 60...95: across the middle of a 32-byte block and the boundary between two.
          check([UInt8(b0), UInt8(b1)] + tail, at: 60 + k % 36, failures: &failures)
          k += 1
        }
      }
    }
    #expect(failures.isEmpty, "\(failures.count) wrong, first: \(failures.prefix(5))")
  }

  @Test func threeAndFourByteSequencesAroundTheirLimits() {
    var failures: [String] = []
    var k = 0
    for lead in 0xE0...0xF7 {
      for b1 in 0x70...0xCF {
        for b2 in [0x41, 0x80, 0xBF, 0xC0] {
          for b3 in [0x41, 0x80, 0xBF, 0xC2] {
            check([UInt8(lead), UInt8(b1), UInt8(b2), UInt8(b3)], at: 60 + k % 36, failures: &failures)
            k += 1
          }
        }
      }
    }
    #expect(failures.isEmpty, "\(failures.count) wrong, first: \(failures.prefix(5))")
  }

  /// The vector code skips 128 bytes of ASCII at a time (checking only that the block before them
  /// finished its last character): sequences of every kind (whole, cut short, broken) placed at every
  /// offset around the edges of those 128-byte runs, with ASCII runs before and after, and the text cut
  /// after each of their bytes.
  @Test func sequencesAroundRunsOfASCII() {
    var failures: [String] = []
    let sequences: [[UInt8]] = [
      [0xC3], [0xC3, 0xA9], [0xE4], [0xE4, 0xBC], [0xE4, 0xBC, 0x9A], [0xF0], [0xF0, 0x9F], [0xF0, 0x9F, 0x9A],
      [0xF0, 0x9F, 0x9A, 0xA2], [0x80], [0xBF, 0x80], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
      [0xFF], [0xE0, 0x80, 0x80], [0xC3, 0xA9, 0x80], [0xE4, 0x41], [0xF0, 0x9F, 0x41, 0x41],
    ]
    for sequence in sequences {
      // Around the end of the first 128 bytes, the second, and in the middle of the third.
      for offset in Array(110...136) + Array(238...264) + [300] {
        check(sequence, at: offset, length: 400, failures: &failures)
      }
    }
    // Two sequences, one ending a run of 128 bytes and one far after it (the run between them ASCII).
    for first in sequences {
      for second in sequences {
        var text = [UInt8](repeating: UInt8(ascii: "b"), count: 512)
        text.replaceSubrange(128 - first.count..<128, with: first)
        text.replaceSubrange(384..<384 + second.count, with: second)
        let expected = reference(text)
        let (run, vector) = answers(text)
        if run != expected || (vector != nil && vector != expected) {
          failures.append("\(first) then \(second): expected \(expected), run \(run), vector \(vector.map(String.init) ?? "none")")
        }
      }
    }
    #expect(failures.isEmpty, "\(failures.count) wrong, first: \(failures.prefix(5))")
  }

  /// Random text of characters of every length, some bytes changed at random, read whole and in two
  /// pieces cut anywhere (a character cut between them included).
  @Test func randomTextWholeAndInPieces() {
    var rng = SystemRandomNumberGenerator()
    let characters: [[UInt8]] = ["a", "\"", "é", "ł", "€", "会", "\u{FFFD}", "\u{10FFFF}", "🚢", "\u{7F}", "\u{80}", "\u{7FF}", "\u{800}", "\u{D7FF}", "\u{E000}", "\u{10000}"]
      .map { Array(String($0).utf8) }
    var failures: [String] = []
    for round in 0..<3000 {
      var bytes: [UInt8] = []
      let length = Int.random(in: 0...400, using: &rng)
      while bytes.count < length { bytes += characters.randomElement(using: &rng)! }
      if round % 2 == 1, !bytes.isEmpty {
        for _ in 0...Int.random(in: 0...2, using: &rng) { bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
      }
      let expected = reference(bytes)
      let (run, vector) = answers(bytes)
      let cut = Int.random(in: 0...bytes.count, using: &rng)
      let pieces = bytes.withUnsafeBufferPointer { b -> Bool in
        let s = UTF8DFA.run(b.baseAddress!, cut, from: UTF8DFA.accept)
        return UTF8DFA.run(b.baseAddress! + cut, b.count - cut, from: s) == UTF8DFA.accept
      }
      if run != expected || pieces != expected || (vector != nil && vector != expected) {
        failures.append("\(bytes.map { String($0, radix: 16) }) cut at \(cut): expected \(expected), run \(run), in pieces \(pieces), vector \(vector.map(String.init) ?? "none")")
      }
    }
    #expect(failures.isEmpty, "\(failures.count) wrong, first: \(failures.prefix(3))")
  }

}
