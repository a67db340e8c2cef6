/// What every importer shares while it reads a file: the builder the values go to, the people and
/// sources made up from names and links (one each, whatever the number of events citing them), the ids
/// given to events, the file's own source, and the problems of rows to report or skip.
///
/// Importers check each record completely before adding it (dates, title, countries, confidence), so
/// that `--skip-bad-rows` can leave a bad record out whole; the builder's own checks then never fail on
/// what an importer made.
final class ImportSession {
  let builder: TimelineBuilder
  let fileName: String
  let format: TimelineFormat
  let options: ImportOptions

  /// Problems of records, in the order found.
  private(set) var problems: [Diagnostic] = []
  private(set) var problemCount = 0
  /// Records left out (with `skipBadRows`).
  private(set) var skippedCount = 0

  /// Person ids by folded name, and the ids added.
  private var personIDs: [String: String] = [:]
  private var personIDSet: Set<String> = []
  /// Ids of the people the file describes fully (this program's own exports).
  private var describedPeople: Set<String> = []
  private var sourceIDsByURL: [String: String] = [:]
  private var usedIDs: [String: Set<String>] = [:]
  private var countryCache: [String: Result<String, NameResolver.Failure>] = [:]
  private var fileSourceID: String?
  /// Whether some event got the default confidence, to say so in the file's source.
  var usedDefaultConfidence = false

  init(fileName: String, format: TimelineFormat, options: ImportOptions) {
    self.fileName = fileName
    self.format = format
    self.options = options
    builder = TimelineBuilder(fileName: fileName)
  }

  // MARK: - Problems

  /// Records a problem of the record at `position`.
  func report(_ position: SourcePosition, _ message: String) {
    problemCount += 1
    if problems.count < DecodeFailure.limit {
      problems.append(Diagnostic(file: fileName, position: position, message: message))
    }
  }

  /// A record's problems: with `skipBadRows`, the record is left out (true means "skip it"); otherwise
  /// they are errors and reading goes on, to report every problem at once.
  func settle(_ recordProblems: [(SourcePosition, String)]) -> Bool {
    guard !recordProblems.isEmpty else { return false }
    for (p, m) in recordProblems { report(p, m) }
    if options.skipBadRows { skippedCount += 1 }
    return true
  }

  // MARK: - Ids

  /// An id in the timeline's grammar (letters, digits, `._:-`), unique among `kind`: the preferred
  /// text made into one, or `fallback` when nothing of it is usable.
  func uniqueID(_ preferred: String?, fallback: String, kind: String) -> String {
    var base = preferred.map(Self.slug) ?? ""
    if base.isEmpty { base = fallback }
    var id = base
    var n = 2
    while usedIDs[kind, default: []].contains(id) {
      id = "\(base)-\(n)"
      n += 1
    }
    usedIDs[kind, default: []].insert(id)
    return id
  }

  /// Marks an id as taken (one the file gives exactly, such as a source id of this program's export).
  func claim(_ id: String, kind: String) { usedIDs[kind, default: []].insert(id) }

  /// Lower-case letters and digits joined by dashes, at most 80 bytes: `Jonatan Correa` → `jonatan-correa`.
  static func slug(_ s: String) -> String {
    var out = ""
    var dash = false
    for ch in TextFolding.folded(s).unicodeScalars {
      let v = ch.value
      let keep = (v >= 0x30 && v <= 0x39) || (v >= 0x61 && v <= 0x7A) || v == 0x2E || v == 0x5F || v == 0x3A
      if keep {
        if dash && !out.isEmpty { out += "-" }
        dash = false
        out.unicodeScalars.append(ch)
        if out.utf8.count >= 80 { break }
      } else {
        dash = true
      }
    }
    while let f = out.unicodeScalars.first, !(f.properties.isAlphabetic || ("0"..."9").contains(f)) { out.unicodeScalars.removeFirst() }
    return out
  }

  // MARK: - People, sources, countries

  /// The id of the person with this name, adding the person the first time.
  func person(named raw: String, at position: SourcePosition, preferredID: String? = nil) -> String {
    let name = raw.trimmingWhitespace()
    let key = TextFolding.folded(name)
    if let id = personIDs[key] { return id }
    let id = uniqueID(preferredID ?? name, fallback: "person-\(personIDs.count + 1)", kind: "person")
    personIDs[key] = id
    personIDSet.insert(id)
    builder.add(Person(id: id, name: name, role: "Named in \(baseName)."), at: position)
    return id
  }

  /// Whether a person with this id was added.
  func isPerson(_ id: String) -> Bool { personIDSet.contains(id) }

  /// A person named in a file: the id of a person the file describes (this program's exports), else
  /// the person with that name.
  func personID(_ value: String, at position: SourcePosition) -> String {
    if describedPeople.contains(value) { return value }
    return person(named: value, at: position)
  }

  /// Records a person the file describes fully (this program's own exports).
  func add(_ person: Person, at position: SourcePosition) {
    claim(person.id, kind: "person")
    personIDs[TextFolding.folded(person.name)] = person.id
    personIDSet.insert(person.id)
    describedPeople.insert(person.id)
    builder.add(person, at: position)
  }

  /// The id of a source for a link found in the file, adding it the first time.
  func source(url: String, title: String?, at position: SourcePosition) -> String {
    if let id = sourceIDsByURL[url] { return id }
    let host = Self.host(of: url)
    let id = uniqueID(host.map { "link-" + $0 } ?? nil, fallback: "link-\(sourceIDsByURL.count + 1)", kind: "source")
    sourceIDsByURL[url] = id
    let shown = title.flatMap { $0.isEmpty ? nil : $0 } ?? url
    builder.add(
      Source(id: id, title: shown, publisher: host ?? url, date: nil, url: url, language: "und", notes: "Linked from \(baseName)."),
      at: position)
    return id
  }

  /// The id of a source named in the file (a cell that is not a link: "AFP", "Court record 12"),
  /// adding it the first time.
  func source(named name: String, at position: SourcePosition) -> String {
    let key = "name:" + name
    if let id = sourceIDsByURL[key] { return id }
    let id = uniqueID(name, fallback: "source-\(sourceIDsByURL.count + 1)", kind: "source")
    sourceIDsByURL[key] = id
    builder.add(Source(id: id, title: name, publisher: name, date: nil, language: "und", notes: "Named in \(baseName)."), at: position)
    return id
  }

  /// Records a source the file describes fully.
  func add(_ source: Source, at position: SourcePosition) {
    claim(source.id, kind: "source")
    if let url = source.url { sourceIDsByURL[url] = source.id }
    builder.add(source, at: position)
  }

  /// The source standing for the file itself, cited by events that name none.
  func fileSource() -> String {
    if let id = fileSourceID { return id }
    let id = uniqueID("file", fallback: "file", kind: "source")
    fileSourceID = id
    return id
  }

  /// The country code a cell names: a code (`FR`), or a name in English or French (`France`,
  /// `Allemagne`), in any case and with or without accents.
  func country(_ raw: String) -> Result<String, NameResolver.Failure> {
    let cell = raw.trimmingWhitespace()
    let u = Array(cell.utf8)
    if u.count == 2, u.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }), let slot = CountryTable.slot(u[0], u[1]), CountryTable.builtIn.contains(slot: slot) {
      return .success(cell)
    }
    if let known = countryCache[cell] { return known }
    let result: Result<String, NameResolver.Failure>
    do throws(NameResolver.Failure) {
      result = .success(try NameResolver.country(cell, in: .builtIn).code)
    } catch {
      result = .failure(error)
    }
    countryCache[cell] = result
    return result
  }

  /// The values of a multi-valued cell, split on the separator, trimmed, empty ones dropped.
  func values(_ cell: String) -> [String] { Self.values(cell, options.separator) }

  static func values(_ cell: String, _ separator: Character) -> [String] {
    // An ASCII separator (the usual case) splits the bytes; others split the characters.
    if let ascii = separator.asciiValue {
      var copy = cell
      return copy.withUTF8 { bytes in
        var out: [String] = []
        var start = 0
        for i in 0...bytes.count where i == bytes.count || bytes[i] == ascii {
          let piece = HTMLText.trimmedString(UnsafeBufferPointer(rebasing: bytes[start..<i]))
          if !piece.isEmpty { out.append(piece) }
          start = i + 1
        }
        return out
      }
    }
    return cell.split(separator: separator).map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
  }

  /// A confidence word as files write it (this program's words, US spelling, French), or nil.
  static func confidence(_ word: String) -> Confidence? {
    switch TextFolding.folded(word.trimmingWhitespace()) {
    case "confirmed", "confirme", "confirmee", "certain", "verified", "true", "yes": .confirmed
    case "reported", "rapporte", "signale", "likely", "probable": .reported
    case "rumoured", "rumored", "rumour", "rumor", "rumeur", "unconfirmed", "unverified", "alleged": .rumoured
    case "disputed", "conteste", "contested", "contradicted", "false": .disputed
    default: nil
    }
  }

  // MARK: - Finishing

  var baseName: String { fileName.split(separator: "/").last.map(String.init) ?? fileName }

  /// The timeline, or every problem found (the records' and the builder's).
  /// The timeline's title and description (the file's, else its name and format), and the source
  /// standing for the file when events cite it.
  func ending(title: String?, description: String?) -> (title: String, description: String, fileSource: Source?) {
    let t = title?.trimmingWhitespace() ?? ""
    let shownTitle = t.isEmpty ? baseName : t
    var source: Source?
    if let id = fileSourceID {
      var notes = "The \(format.displayName) file this timeline was imported from; events that cite no source of their own cite it."
      if usedDefaultConfidence {
        notes += " The file gives no confidence for some events: they are marked \(options.defaultConfidence.name)."
      }
      source = Source(id: id, title: shownTitle, publisher: baseName, date: nil, language: "und", notes: notes)
    }
    return (shownTitle, description ?? "Imported from \(baseName) (\(format.displayName)).", source)
  }

  func finish(title: String?, description: String?) throws(DecodeFailure) -> ImportResult {
    let (shownTitle, shownDescription, source) = ending(title: title, description: description)
    if let source { builder.add(source) }
    builder.title = shownTitle
    builder.description = shownDescription
    if !options.skipBadRows && problemCount > 0 {
      // The builder's own problems (if any) after the records'.
      var all = problems
      do throws(DecodeFailure) {
        _ = try builder.build()
      } catch {
        all += error.diagnostics.prefix(max(0, DecodeFailure.limit - all.count))
      }
      throw DecodeFailure(diagnostics: all, omitted: max(0, problemCount - all.count))
    }
    let timeline = try builder.build()
    return ImportResult(
      timeline: timeline, format: format, skipped: problems, skippedCount: skippedCount, omittedProblems: problemCount - problems.count)
  }

  static func host(of url: String) -> String? {
    guard let schemeEnd = url.range(of: "://") else { return nil }
    let rest = url[schemeEnd.upperBound...]
    let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" && $0 != ":" }
    let trimmed = host.hasPrefix("www.") ? host.dropFirst(4) : host
    return trimmed.isEmpty ? nil : String(trimmed).lowercased()
  }
}
