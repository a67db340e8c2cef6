/// Finds a country or a person from what a user typed: a code, an id, a name or an alias, in English or
/// French, in any case and with or without accents.
public enum NameResolver {
  /// Why a name could not be resolved; the message suggests the closest known names.
  public struct Failure: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case unknown, ambiguous }
    public var kind: Kind
    public var what: String
    public var input: String
    public var suggestions: [String]

    public var description: String { TerminalSafety.sanitized(text) }

    private var text: String {
      let shown = input
      switch kind {
      case .unknown:
        var s = "unknown \(what) \"\(shown)\""
        if !suggestions.isEmpty { s += "; did you mean " + Suggestions.orList(suggestions) + "?" }
        return s
      case .ambiguous:
        // The facet's own plural: "several sources", not the "several countries" every other facet said.
        let plural = Facet.allCases.first { $0.valueNoun == what }?.plural ?? what
        return "\"\(shown)\" could be several \(plural): " + Suggestions.orList(suggestions) + "; say which"
      }
    }
  }

  /// The country an input names: `FR`, `fr`, `France`, `république tchèque`, `Czechia`, `USA`...
  public static func country(_ input: String, in table: CountryTable) throws(Failure) -> CountryTable.Country {
    let key = TextFolding.folded(input.trimmingWhitespace())
    let all = table.all
    if let exact = all.first(where: { TextFolding.folded($0.code) == key }) { return exact }
    let matches = all.filter { $0.allNames.contains { TextFolding.folded($0) == key } }
    if matches.count == 1 { return matches[0] }
    if matches.count > 1 {
      throw Failure(kind: .ambiguous, what: "country", input: input, suggestions: matches.map { "\($0.name) (\($0.code))" })
    }
    // No exact name: accept a unique country one of whose names has a word starting with the input.
    // Not for two letters that are no code ("EU"): those are a code the user expected to exist, and
    // "Sint Eustatius" would be a silent surprise.
    let trimmed = input.trimmingWhitespace()
    let looksLikeCode = trimmed.count == 2 && trimmed.allSatisfy { $0.isASCII && $0.isLetter }
    let words = looksLikeCode ? [] : SearchIndex.terms(of: input)
    let partial = all.filter { $0.allNames.dropFirst().contains { Self.hasWordsStarting(TextFolding.fold($0), words) } }
    if partial.count == 1 { return partial[0] }
    if partial.count > 1 && partial.count <= 6 {
      throw Failure(kind: .ambiguous, what: "country", input: input, suggestions: partial.map { "\($0.name) (\($0.code))" })
    }
    let candidates = all.flatMap { c in c.allNames.dropFirst().map { ($0, c) } }
    let close = Suggestions.closest(to: input, among: candidates.map(\.0), limit: 3)
    let labels = close.compactMap { name in candidates.first { $0.0 == name }.map { "\(name) (\($0.1.code))" } }
    throw Failure(kind: .unknown, what: "country", input: input, suggestions: labels)
  }

  /// The person an input names: an id, a name or an alias (`Raid`, `jonathan correa`, `Artist`).
  public static func person(_ input: String, in people: [Person]) throws(Failure) -> Int {
    let names = people.map { [$0.id, $0.name] + $0.aliases }
    return try resolve(input, what: "person", names: names, labels: people.map { "\($0.name) (\($0.id))" }, suggestionLabels: people.map(\.name))
  }

  /// The key of the value of `facet` an input names, as `Query` holds it: a country's code, a person's
  /// id, a tag, a confidence, an era's id, a publisher (also named by one of its sources' id or title).
  public static func value(_ facet: Facet, _ input: String, in t: Timeline) throws(Failure) -> String {
    switch facet {
    case .country:
      return try country(input, in: t.countries).code
    case .person:
      return t.people[try person(input, in: t.people)].id
    case .tag, .confidence, .era, .source:
      let n = t.valueCount(facet)
      let labels = (0..<n).map { t.label(facet, key: t.key(facet, $0)) }
      let v = try resolve(input, what: facet.valueNoun, names: (0..<n).map { t.names(facet, $0) }, labels: labels, suggestionLabels: labels)
      return t.key(facet, v)
    }
  }

  /// Finds the one value whose names include the input (folded), or else the one with a name whose
  /// words start with the input's words; else fails with the candidates or the closest names, one per
  /// value (a person known by three spellings is suggested once).
  static func resolve(_ input: String, what: String, names: [[String]], labels: [String], suggestionLabels: [String]) throws(Failure) -> Int {
    let key = TextFolding.folded(input.trimmingWhitespace())
    let folded = names.map { $0.map(TextFolding.folded) }
    // The key itself (an id, a code) wins over other values' names.
    if let byKey = folded.indices.first(where: { folded[$0].first == key }) { return byKey }
    let exact = folded.indices.filter { folded[$0].contains(key) }
    if exact.count == 1 { return exact[0] }
    if exact.count > 1 { throw Failure(kind: .ambiguous, what: what, input: input, suggestions: exact.map { labels[$0] }) }
    let words = SearchIndex.terms(of: input)
    let partial = names.indices.filter { v in names[v].contains { Self.hasWordsStarting(TextFolding.fold($0), words) } }
    if partial.count == 1 { return partial[0] }
    if partial.count > 1 && partial.count <= 6 {
      throw Failure(kind: .ambiguous, what: what, input: input, suggestions: partial.map { labels[$0] })
    }
    let close = Suggestions.closestValues(to: input, names: names, limit: 3)
    throw Failure(kind: .unknown, what: what, input: input, suggestions: close.map { suggestionLabels[$0] })
  }
}

extension NameResolver {
  /// Whether every word of the input starts a word of the name ("rep tcheque" in "république tchèque").
  static func hasWordsStarting(_ name: [UInt8], _ words: [[UInt8]]) -> Bool {
    !words.isEmpty && words.allSatisfy { TextFolding.containsAtWordStart(name, $0) }
  }
}

/// "Did you mean" suggestions by edit distance over folded text.
public enum Suggestions {
  /// Up to `limit` names closest to `input`, closest first; only names close enough to be a plausible
  /// typo (or sharing a prefix with the input) are offered.
  public static func closest(to input: String, among names: [String], limit: Int) -> [String] {
    let key = Array(TextFolding.folded(input).unicodeScalars)
    guard !key.isEmpty else { return [] }
    var scored: [(distance: Int, name: String)] = []
    var seen = Set<String>()
    for name in names where seen.insert(name).inserted {
      let folded = Array(TextFolding.folded(name).unicodeScalars)
      let prefix = folded.count > key.count && key.count >= 3 && Array(folded.prefix(key.count)) == key
      // A longer name that starts with the input scores 1 (it cannot be equal, so its distance is >= 1).
      if prefix {
        scored.append((1, name))
        continue
      }
      // The distance is at least the difference in length: skip the quadratic computation when that
      // alone is over the threshold (a hostile file's 1 MB "country code" would otherwise cost seconds).
      let threshold = max(1, min(key.count, folded.count) / 3)
      guard abs(key.count - folded.count) <= threshold else { continue }
      let d = distance(key, folded)
      if d <= threshold { scored.append((d, name)) }
    }
    scored.sort { ($0.distance, $0.name) < ($1.distance, $1.name) }
    var out: [String] = []
    for s in scored where !out.contains(s.name) {
      out.append(s.name)
      if out.count == limit { break }
    }
    return out
  }

  /// Up to `limit` values (indexes into `names`) with a name close to `input`, closest first, each
  /// once. A name counts whole and word by word, so "Bridy" finds "George Bridi".
  public static func closestValues(to input: String, names: [[String]], limit: Int) -> [Int] {
    let key = Array(TextFolding.folded(input.trimmingWhitespace()).unicodeScalars)
    guard !key.isEmpty else { return [] }
    var scored: [(distance: Int, value: Int)] = []
    for (v, list) in names.enumerated() {
      var best = Int.max
      for name in list {
        let whole = TextFolding.folded(name)
        var forms = [whole]
        let words = whole.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        if words.count > 1 { forms += words.filter { $0.count >= 3 }.map(String.init) }
        for form in forms {
          let f = Array(form.unicodeScalars)
          if f.count > key.count && key.count >= 3 && Array(f.prefix(key.count)) == key {
            best = min(best, 1)
            continue
          }
          let threshold = max(1, min(key.count, f.count) / 3)
          guard abs(key.count - f.count) <= threshold else { continue }
          let d = distance(key, f)
          if d <= threshold { best = min(best, d) }
        }
      }
      if best != Int.max { scored.append((best, v)) }
    }
    scored.sort { ($0.distance, $0.value) < ($1.distance, $1.value) }
    return scored.prefix(limit).map(\.value)
  }

  /// Damerau–Levenshtein (optimal string alignment) distance.
  static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev2 = [Int](repeating: 0, count: b.count + 1)
    var prev = Array(0...b.count)
    var cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      cur[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
        if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
          cur[j] = min(cur[j], prev2[j - 2] + 1)
        }
      }
      (prev2, prev, cur) = (prev, cur, prev2)
    }
    return prev[b.count]
  }

  /// `"a", "b" or "c"`.
  public static func orList(_ items: [String]) -> String {
    let quoted = items.map { "\"\($0)\"" }
    if quoted.count <= 1 { return quoted.joined() }
    return quoted.dropLast().joined(separator: ", ") + " or " + quoted.last!
  }
}

extension String {
  func trimmingWhitespace() -> String {
    var s = Substring(self)
    while let f = s.first, f.isWhitespace { s.removeFirst() }
    while let l = s.last, l.isWhitespace { s.removeLast() }
    return String(s)
  }
}
