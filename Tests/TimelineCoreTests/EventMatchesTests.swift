import Foundation
import Testing

@testable import TimelineCore

/// A search's answer kept as a bitset (`EventMatches`) answers every question exactly as the plain
/// sorted list of the same events does: its elements in order, its count, the k-th, membership, how
/// many lie below an event, and the set operations a search narrows with.
@Suite("search answers as bitsets")
struct EventMatchesTests {
  /// Universes around the 64 bits of a word and the 8 words of a counted block.
  static let universes = [0, 1, 2, 63, 64, 65, 127, 128, 129, 511, 512, 513, 1000, 4097]

  /// Sets of a universe: empty, full, one event, the last event, the first and last of each word, and
  /// random ones of several densities.
  static func sets(_ n: Int, _ r: inout PropertyTests.RNG) -> [[UInt32]] {
    var out: [[UInt32]] = [[], (0..<UInt32(n)).map { $0 }]
    if n > 0 {
      out.append([UInt32(n - 1)])
      out.append([UInt32(r.int(n))])
      out.append((0..<UInt32(n)).filter { $0 % 64 == 0 || $0 % 64 == 63 || $0 == UInt32(n - 1) })
      out.append((0..<UInt32(n)).filter { $0 != UInt32(n - 1) })
      out.append((0..<UInt32(n)).filter { $0 != 0 })
    }
    for density in [1, 3, 50, 97, 100] {
      out.append((0..<UInt32(n)).filter { _ in r.int(100) < density })
    }
    return out
  }

  static func bits(_ list: [UInt32], universe n: Int) -> EventMatches {
    var b = EventBits(universe: n)
    b.insert(contentsOf: list)
    return EventMatches(ranked: RankedBits(b))
  }

  static func eventSet(_ list: [UInt32], universe n: Int, asBits: Bool) -> EventSet {
    guard asBits else { return .list(list) }
    var b = EventBits(universe: n)
    b.insert(contentsOf: list)
    return .bits(b)
  }

  @Test func aBitsetAnswersAsTheListDoes() {
    var r = PropertyTests.RNG(state: 41)
    for n in Self.universes {
      for list in Self.sets(n, &r) {
        let plain = EventMatches(list)
        let packed = Self.bits(list, universe: n)
        #expect(packed.isBitset && !plain.isBitset)
        #expect(packed.array == list, "n \(n), \(list.count) events")
        #expect(Array(packed) == list && Array(plain) == list)
        #expect(packed.count == list.count && packed.isEmpty == list.isEmpty)
        #expect(packed.first == list.first && packed.last == list.last)
        #expect(packed == plain && plain == packed && packed.hashValue == plain.hashValue)
        for k in list.indices where packed[k] != list[k] {
          Issue.record("n \(n): element \(k) is \(packed[k]), not \(list[k])")
          break
        }
        for e in 0..<UInt32(n + 2) {
          let below = SortedLists.partitionPoint(list.count) { list[$0] >= e }
          if packed.lowerBound(e) != below || plain.lowerBound(e) != below || packed.contains(e) != list.contains(e) {
            Issue.record("n \(n), \(list.count) events: at \(e), lowerBound \(packed.lowerBound(e)) not \(below), or contains wrong")
            break
          }
        }
        // Not equal to a set one event smaller or larger.
        if let last = list.last {
          #expect(packed != Self.bits(Array(list.dropLast()), universe: n) && packed != EventMatches(Array(list.dropLast())))
          #expect(last == UInt32(n - 1) || packed != Self.bits(list + [UInt32(n - 1)], universe: n))
        }
      }
    }
  }

  @Test func theListedEventsOfABitsetAreTheListsIntersection() {
    var r = PropertyTests.RNG(state: 42)
    for n in Self.universes {
      let sets = Self.sets(n, &r)
      var listings = sets
      // Ranges without gaps (the explorer's events under no filter, or a date range's).
      for _ in 0..<6 {
        let lo = r.int(n + 1)
        let hi = lo + r.int(n - lo + 1)
        listings.append((UInt32(lo)..<UInt32(hi)).map { $0 })
      }
      for list in sets {
        for listed in listings {
          let expected = SortedLists.intersection(listed, list)
          let packed = Self.bits(list, universe: n).intersection(listed)
          if packed.array != expected || packed.count != expected.count || EventMatches(list).intersection(listed).array != expected {
            Issue.record("n \(n): \(list.count) events within \(listed.count) listed: \(packed.count), not \(expected.count)")
          }
        }
      }
    }
  }

  @Test func narrowingABitsetByATermsEventsIsTheListsIntersectionAndDifference() {
    var r = PropertyTests.RNG(state: 43)
    for n in Self.universes {
      let sets = Self.sets(n, &r)
      for a in sets {
        for b in sets {
          let both = SortedLists.intersection(a, b)
          let only = SortedLists.difference(a, b)
          let either = SortedLists.union(a, b)
          for aBits in [false, true] {
            let current = aBits ? Self.bits(a, universe: n) : EventMatches(a)
            for bBits in [false, true] {
              let m = Self.eventSet(b, universe: n, asBits: bBits)
              let other = bBits ? Self.bits(b, universe: n) : EventMatches(b)
              let i = current.intersection(m, universe: n)
              let d = current.subtracting(m, universe: n)
              let u = current.union(other, universe: n)
              if i.array != both || i.count != both.count || d.array != only || d.count != only.count || u.array != either || u.count != either.count {
                Issue.record("n \(n), \(a.count) (bits \(aBits)) with \(b.count) (bits \(bBits)): ∩ \(i.count)/\(both.count), − \(d.count)/\(only.count), ∪ \(u.count)/\(either.count)")
              }
            }
          }
        }
      }
    }
  }

  /// What a term excluded leaves of a range (a search's "!word" with nothing before it): the range's
  /// events not in the set, with no bit past the universe's end.
  @Test func theComplementInARangeIsTheRangeLessTheSet() {
    var r = PropertyTests.RNG(state: 47)
    for n in Self.universes {
      var ranges = [0..<n, 0..<0, n..<n]
      for _ in 0..<5 {
        let lo = r.int(n + 1)
        ranges.append(lo..<(lo + r.int(n - lo + 1)))
      }
      for list in Self.sets(n, &r) {
        var bits = EventBits(universe: n)
        bits.insert(contentsOf: list)
        for range in ranges {
          let expected = SortedLists.difference(SortedLists.numbers(range), list)
          let rest = EventMatches(bits: bits.complement(in: range))
          if rest.array != expected || rest.count != expected.count {
            Issue.record("n \(n), \(list.count) events, range \(range): \(rest.count) left, not \(expected.count)")
          }
        }
      }
    }
  }

  /// A set of many events is kept as bits, of few as a list; either way the same events.
  @Test func aSetIsKeptAsBitsWhenLarge() {
    let n = 6400
    var dense = EventBits(universe: n)
    dense.insert(contentsOf: (0..<UInt32(n)).filter { $0 % 3 == 0 })
    #expect(EventMatches(bits: dense).isBitset)
    var sparse = EventBits(universe: n)
    sparse.insert(contentsOf: [5, 70, 6399])
    let few = EventMatches(bits: sparse)
    #expect(!few.isBitset && few.array == [5, 70, 6399])
  }

  /// Typing a word letter by letter narrows the last answer, kept as bits when large: each answer is the
  /// reference's (every event's text read), and some of them were bitsets.
  @Test func typingNarrowsBitsetsToTheReferencesAnswer() throws {
    let t = try TimelineDecoder.decode(Array(PropertyTests.document(events: 900, seed: 44).utf8), fileName: "mem")
    let texts = PropertyTests.texts(t)
    let events = t.events
    var bitsets = 0
    for word in ["serveur", "réseau x", "s -r", "Ser", "e", "etats-unis", "raid court", "-0044", "!raid cou", "afp | reu", "r r", "2001-0"] {
      var previous: (query: Query, result: EventMatches)?
      for k in 1...word.count {
        let q = Query(text: String(word.prefix(k)))
        let answer = t.matches(q, narrowing: previous)
        if answer.isBitset { bitsets += 1 }
        #expect(answer.array == PropertyTests.naive(t, q, texts: texts, events: events), "\"\(q.text)\"")
        #expect(answer.count == answer.array.count)
        #expect(answer.array == t.evaluate(q, textSearch: .scan), "\"\(q.text)\"")
        previous = (q, answer)
      }
    }
    #expect(bitsets >= 10, "the bitset path is taken")
  }

  /// The same with facets and dates in force, and fresh searches of random queries.
  @Test func randomQueriesAsBitsetsAreTheReferences() throws {
    let t = try TimelineDecoder.decode(Array(PropertyTests.document(events: 700, seed: 45).utf8), fileName: "mem")
    let texts = PropertyTests.texts(t)
    let events = t.events
    var r = PropertyTests.RNG(state: 46)
    for _ in 0..<150 {
      let q = PropertyTests.randomQuery(&r)
      let answer = t.matches(q, narrowing: nil)
      #expect(answer.array == PropertyTests.naive(t, q, texts: texts, events: events), "\(q)")
    }
  }
}
