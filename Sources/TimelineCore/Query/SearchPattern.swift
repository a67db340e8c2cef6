import Foundation

/// A search as fzf users write it, parsed once: what `Query.text` means, and what the explorer
/// highlights.
///
/// - Words are separated by spaces and must all match (AND); `"a phrase"` matches as written.
/// - `!word` (or `-word`, when a letter follows the dash) leaves out events that match the word; a dash
///   before a digit is a year before Christ (`-0044`), so use `!2020` to leave out a year.
/// - `a | b` matches either.
/// - Case and accents are ignored, unless a word has a capital: then its case counts (smart case),
///   accents still do not (`Zurich` finds "Zürich", not "zurich").
/// - In regex mode the whole text is one regular expression (ICU syntax), with the same smart case.
///
/// A word matches an event when it is part of its title, summary or notes; the start of a word in
/// the name or alias of one of its people, countries (English, French, code), tags or sources
/// (publisher, title, id), or of its confidence; or the start of its date as written (`2020-08`).
public struct SearchPattern: Hashable, Sendable {
  public struct Term: Hashable, Sendable {
    /// As typed, without the `!` or `-` and the quotes.
    public var text: String
    /// Case- and accent-folded (`TextFolding.fold`).
    public var folded: [UInt8]
    /// The text folded but keeping capitals, when case counts (smart case); nil otherwise.
    public var cased: [UInt8]?
    public var negated: Bool
    /// When the term could be the start of a written date.
    public var date: DatePrefix?

    public var caseSensitive: Bool { cased != nil }

    init?(_ text: String, negated: Bool) {
      let folded = TextFolding.fold(text)
      guard !folded.isEmpty else { return nil }
      self.text = text
      self.folded = folded
      self.cased = text.contains(where: \.isUppercase) ? TextFolding.foldKeepingCase(text) : nil
      self.negated = negated
      self.date = DatePrefix(folded)
    }
  }

  /// Clauses that must all hold; a clause holds when any of its terms does.
  public private(set) var clauses: [[Term]]
  /// The regular expression in regex mode.
  public private(set) var regex: Expression?

  /// A compiled regular expression and how it is applied.
  public struct Expression: Hashable, @unchecked Sendable {
    public let pattern: String
    /// Smart case: a capital (not after a backslash) makes case count; then the pattern runs on the
    /// text as written. Otherwise it runs, ignoring case, on the accent-folded text.
    public let caseSensitive: Bool
    /// Nil when the pattern does not compile.
    public let expression: NSRegularExpression?
    public let error: String?

    init(_ pattern: String) {
      self.pattern = pattern
      var capital = false
      var escaped = false
      for ch in pattern {
        if !escaped && ch.isUppercase { capital = true }
        escaped = !escaped && ch == "\\"
      }
      caseSensitive = capital
      // Accented letters of a pattern without capitals are folded like the text it runs on; ASCII is
      // left alone, so escapes keep their meaning.
      let source = capital ? pattern : pattern.map { $0.isASCII ? String($0) : TextFolding.folded(String($0)) }.joined()
      do {
        expression = try NSRegularExpression(pattern: source, options: capital ? [] : [.caseInsensitive])
        error = nil
      } catch {
        expression = nil
        self.error = "invalid regular expression"
      }
    }

    public static func == (a: Expression, b: Expression) -> Bool { a.pattern == b.pattern }
    public func hash(into h: inout Hasher) { h.combine(pattern) }

    /// Whether the expression matches somewhere in `text`.
    public func matches(_ text: String) -> Bool {
      guard let expression, !text.isEmpty else { return false }
      let subject = caseSensitive ? text : TextFolding.folded(text)
      return expression.firstMatch(in: subject, range: NSRange(subject.startIndex..., in: subject)) != nil
    }
  }

  public init(_ text: String, regex: Bool = false) {
    clauses = []
    if regex {
      self.regex = text.isEmpty ? nil : Expression(text)
      return
    }
    self.regex = nil
    var clause: [Term] = []
    var joinNext = false
    func close() {
      if !clause.isEmpty { clauses.append(clause) }
      clause = []
    }
    for token in Self.tokens(text) {
      if token.text == "|" && !token.quoted {
        joinNext = !clause.isEmpty
        continue
      }
      var body = token.text
      var negated = false
      if !token.quoted, body.count > 1, let first = body.first {
        if first == "!" {
          negated = true
          body.removeFirst()
        } else if first == "-", let second = body.dropFirst().first, second.isLetter {
          negated = true
          body.removeFirst()
        }
      }
      if token.negatedQuote { negated = true }
      guard let term = Term(body, negated: negated) else { continue }
      if !joinNext { close() }
      clause.append(term)
      joinNext = false
    }
    close()
  }

  public var isEmpty: Bool { clauses.isEmpty && regex == nil }

  /// Terms whose matches are shown (negated terms match nothing on screen).
  public var positiveTerms: [Term] { clauses.flatMap { $0.filter { !$0.negated } } }

  /// Whether every clause is one positive term (plain typing, the common case).
  var isPlainWords: Bool { regex == nil && clauses.allSatisfy { $0.count == 1 && !$0[0].negated } }

  private struct Token {
    var text: String
    var quoted: Bool
    /// `!"a phrase"` or `-"a phrase"`.
    var negatedQuote: Bool
  }

  /// Splits at spaces, keeping "quoted phrases" whole (an unclosed quote runs to the end).
  private static func tokens(_ text: String) -> [Token] {
    var out: [Token] = []
    var current = ""
    var quoted = false
    var negatedQuote = false
    for ch in text {
      if ch == "\"" {
        if quoted {
          out.append(Token(text: current, quoted: true, negatedQuote: negatedQuote))
          current = ""
          negatedQuote = false
        } else {
          if current == "!" || current == "-" {
            negatedQuote = true
          } else if !current.isEmpty {
            out.append(Token(text: current, quoted: false, negatedQuote: false))
          }
          current = ""
        }
        quoted.toggle()
      } else if ch.isWhitespace && !quoted {
        if !current.isEmpty { out.append(Token(text: current, quoted: false, negatedQuote: false)) }
        current = ""
      } else {
        current.append(ch)
      }
    }
    if !current.isEmpty { out.append(Token(text: current, quoted: quoted, negatedQuote: quoted && negatedQuote)) }
    return out
  }
}

// MARK: - Dates

/// A search term read as the start of a written date (`2020`, `2020-0`, `2020-08-2`, `-0044-03`,
/// `2020-08-25t14`): the date matches when its written form (`TimelineDate.description`) starts with
/// the term. Starting with, not containing, so a longer term only ever matches fewer dates, as typing
/// narrows.
public struct DatePrefix: Hashable, Sendable {
  let negative: Bool
  let yearDigits: [UInt8]
  /// The parts after the year, as typed: nil when the term stops before them.
  let month: [UInt8]?
  let day: [UInt8]?
  /// After `T`: the hour, then the minute after `:`.
  let hour: [UInt8]?
  let minute: [UInt8]?
  let approximate: Bool

  /// The most digits a year has (±30 billion).
  static let maxYearDigits = 11

  init?(_ folded: [UInt8]) {
    var i = 0
    let n = folded.count
    func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    negative = n > 0 && folded[0] == UInt8(ascii: "-")
    if negative { i = 1 }
    var year: [UInt8] = []
    while i < n, isDigit(folded[i]), year.count < Self.maxYearDigits {
      year.append(folded[i])
      i += 1
    }
    // "-" alone is the start of every year before Christ.
    guard !year.isEmpty || (negative && n == 1) else { return nil }
    yearDigits = year
    func part(after separators: [UInt8]) -> [UInt8]? {
      guard i < n, separators.contains(folded[i]) else { return nil }
      i += 1
      var p: [UInt8] = []
      while i < n, isDigit(folded[i]), p.count < 2 {
        p.append(folded[i])
        i += 1
      }
      return p
    }
    month = part(after: [UInt8(ascii: "-")])
    day = month?.count == 2 ? part(after: [UInt8(ascii: "-")]) : nil
    hour = day?.count == 2 ? part(after: [UInt8(ascii: "t"), UInt8(ascii: "T")]) : nil
    minute = hour?.count == 2 ? part(after: [UInt8(ascii: ":")]) : nil
    approximate = i < n && folded[i] == UInt8(ascii: "~")
    if approximate { i += 1 }
    guard i == n else { return nil }
    // "2020-" needs a four-digit year: the written form pads years to four digits.
    if month != nil && year.count < 4 { return nil }
    // "~" ends a whole written date.
    if approximate, let last = [minute, hour, day, month].compactMap(\.self).first, last.count != 2 { return nil }
  }

  /// Whether the written form of `d` starts with this prefix.
  public func matches(_ d: TimelineDate) -> Bool {
    guard (d.year < 0) == negative else { return false }
    let written = Array(TimelineDate.yearString(d.year).utf8.dropFirst(negative ? 1 : 0))
    guard let month else {
      guard written.starts(with: yearDigits) else { return false }
      return !approximate || (d.isApproximate && d.month == 0 && written == yearDigits)
    }
    guard written == yearDigits, d.month != 0, Self.starts(d.month, with: month) else { return false }
    // Each part typed must be written; the last complete part typed before "~" must be the last written.
    let parts: [(typed: [UInt8]?, value: UInt8?)] = [(day, d.day == 0 ? nil : d.day), (hour, d.hour), (minute, d.minute)]
    for (typed, value) in parts {
      guard let typed else {
        // The term stops here: with "~", the date must stop here too.
        return !approximate || (d.isApproximate && value == nil)
      }
      guard let value, Self.starts(value, with: typed) else { return false }
    }
    return !approximate || d.isApproximate
  }

  private static func starts(_ value: UInt8, with typed: [UInt8]) -> Bool {
    let two: [UInt8] = [0x30 + value / 10, 0x30 + value % 10]
    return two.starts(with: typed)
  }

  /// Ranges of years whose written form can start with the prefix (one per number of digits a year
  /// may be written with, four to eleven), as inclusive bounds.
  func yearRanges() -> [ClosedRange<Int64>] {
    if yearDigits.isEmpty { return [TimelineDate.minYear...(-1)] }
    var out: [ClosedRange<Int64>] = []
    let k = yearDigits.count
    let value = yearDigits.reduce(0) { $0 * 10 + Int64($1 - 0x30) }
    let exact = month != nil
    func power(_ e: Int) -> Int64 { (0..<e).reduce(1) { r, _ in r * 10 } }
    for width in 4...Self.maxYearDigits {
      if exact {
        // The year is written exactly as typed: four digits (padded) or its own length.
        guard k == width else { continue }
      } else {
        guard k <= width, width == 4 || yearDigits[0] != 0x30 else { continue }
      }
      let scale = power(width - k)
      var lo = value * scale
      var hi = (value + 1) * scale - 1
      if width > 4 { lo = max(lo, power(width - 1)) }
      hi = min(hi, power(width) - 1, TimelineDate.maxYear)
      guard lo <= hi else { continue }
      out.append(negative ? -hi...(-lo) : lo...hi)
    }
    return out
  }
}

// MARK: - Highlighting

extension SearchPattern {
  /// How a piece of text is matched: as event text (any part of it), as a name (the start of a word),
  /// or as a written date (its start).
  public enum FieldKind: Sendable { case text, name, date }

  /// The parts of `text` that the pattern's terms match, as ranges of characters (sorted, merged).
  /// The explorer underlines them, so a row shows why it matched.
  public func highlights(in text: String, as kind: FieldKind) -> [Range<String.Index>] {
    highlights(in: text, as: kind, asciiTable: true)
  }

  /// Each ASCII character folded alone, as `TextFolding.fold` and `foldKeepingCase` give it.
  static let asciiFolded: [[UInt8]] = (0..<128).map { TextFolding.fold(String(UnicodeScalar(UInt8($0)))) }
  static let asciiCased: [[UInt8]] = (0..<128).map { TextFolding.foldKeepingCase(String(UnicodeScalar(UInt8($0)))) }

  /// `highlights`, with a character of one ASCII byte folded from a table (`asciiTable`: the explorer
  /// draws sixty rows of highlighted titles at each keystroke, mostly ASCII) or, like every other
  /// character, by folding it as a string of its own (the reference the tests compare it with).
  func highlights(in text: String, as kind: FieldKind, asciiTable: Bool) -> [Range<String.Index>] {
    guard !isEmpty, !text.isEmpty else { return [] }
    if kind == .date {
      guard case .success(let d) = TimelineDate.parse(text) else { return [] }
      return positiveTerms.contains { $0.date?.matches(d) ?? false } ? [text.startIndex..<text.endIndex] : []
    }
    // Fold character by character, remembering where each character's folded bytes start.
    var folded: [UInt8] = []
    var cased: [UInt8] = []
    var foldedStarts: [Int] = []
    var casedStarts: [Int] = []
    var indices: [String.Index] = []
    let needCased = positiveTerms.contains(where: \.caseSensitive) || (regex?.caseSensitive ?? false)
    let utf8 = text.utf8
    var i = text.startIndex
    while i < text.endIndex {
      let next = text.index(after: i)
      indices.append(i)
      foldedStarts.append(folded.count)
      if needCased { casedStarts.append(cased.count) }
      let b = utf8[i]
      if asciiTable && b < 0x80 && utf8.index(after: i) == next {
        folded += Self.asciiFolded[Int(b)]
        if needCased { cased += Self.asciiCased[Int(b)] }
      } else {
        folded += TextFolding.fold(String(text[i]))
        if needCased { cased += TextFolding.foldKeepingCase(String(text[i])) }
      }
      i = next
    }
    indices.append(text.endIndex)
    foldedStarts.append(folded.count)
    casedStarts.append(cased.count)

    var marked = [Bool](repeating: false, count: indices.count - 1)
    func mark(_ bytes: Range<Int>, _ starts: [Int]) {
      for c in 0..<marked.count where starts[c] < bytes.upperBound && starts[c + 1] > bytes.lowerBound { marked[c] = true }
      // A character folding to nothing (a lone combining mark) inside a match belongs to it.
      for c in 0..<marked.count where starts[c] == starts[c + 1] && starts[c] > bytes.lowerBound && starts[c] < bytes.upperBound {
        marked[c] = true
      }
    }
    if let regex {
      guard let expression = regex.expression else { return [] }
      let subjectBytes = regex.caseSensitive ? nil : folded
      let subject = subjectBytes.map { String(decoding: $0, as: UTF8.self) } ?? text
      for m in expression.matches(in: subject, range: NSRange(subject.startIndex..., in: subject)) {
        guard let r = Range(m.range, in: subject), !r.isEmpty else { continue }
        let lo = subject.utf8.distance(from: subject.utf8.startIndex, to: r.lowerBound)
        let hi = subject.utf8.distance(from: subject.utf8.startIndex, to: r.upperBound)
        if subjectBytes != nil {
          mark(lo..<hi, foldedStarts)
        } else {
          // On the text as written: byte offsets of the original characters.
          var offsets: [Int] = []
          var o = 0
          for i in 0..<indices.count - 1 {
            offsets.append(o)
            o += text[indices[i]..<indices[i + 1]].utf8.count
          }
          offsets.append(o)
          mark(lo..<hi, offsets)
        }
      }
    } else {
      for term in positiveTerms {
        let (haystack, needle, starts) = term.cased.map { (cased, $0, casedStarts) } ?? (folded, term.folded, foldedStarts)
        var from = 0
        while let hit = Self.find(needle, in: haystack, from: from, wordStart: kind == .name) {
          mark(hit..<hit + needle.count, starts)
          from = hit + 1
        }
      }
    }
    var out: [Range<String.Index>] = []
    var c = 0
    while c < marked.count {
      guard marked[c] else {
        c += 1
        continue
      }
      let start = c
      while c < marked.count && marked[c] { c += 1 }
      out.append(indices[start]..<indices[c])
    }
    return out
  }

  /// The first occurrence of `needle` in `haystack` at or after `from` (at a word start if asked).
  static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int, wordStart: Bool) -> Int? {
    guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
    var i = from
    while i <= haystack.count - needle.count {
      if haystack[i] == needle[0] && (!wordStart || i == 0 || !TextFolding.isWordByte(haystack[i - 1])) {
        var k = 1
        while k < needle.count && haystack[i + k] == needle[k] { k += 1 }
        if k == needle.count { return i }
      }
      i += 1
    }
    return nil
  }
}
