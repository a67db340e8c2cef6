/// The fast way through a large TimelineJS spreadsheet: two threads each read half of the file into
/// event columns, which are joined and handed to `TimelineAssembler`, as the JSON streaming loader does.
///
/// The reference importer (`SpreadsheetImporter` on `TimelineBuilder`) makes an `Event` value per row and
/// the builder checks and packs it: about 16 µs a row, 16 s for a million rows. This path does the same
/// work with the same rules (it calls the same date, text, title and notes functions) without the values
/// in between, and on two cores. Like the JSON fast path it handles only what it expects: the template's
/// columns with `Country` and `People` beside them, rows that are all valid, text without links. At the
/// first thing it does not expect it gives up (`nil`), and the reference importer reads the file and
/// explains. A test checks that both give the same timeline.
enum SpreadsheetFastPath {
  /// Smaller files are read by the reference importer (as fast at that size, and simpler).
  static let threshold = 1 << 20

  static func run(_ buffer: UnsafeBufferPointer<UInt8>, session: ImportSession, delimiter: UInt8) -> ImportResult? {
    // The header, read as the reference importer reads it.
    var reader = CSVReader(buffer, delimiter: delimiter)
    var fields: [CSVReader.Field] = []
    guard (try? reader.next(into: &fields)) == true else { return nil }
    let names = fields.map { reader.string($0).trimmingWhitespace() }
    guard let layout = Layout(names: names, options: session.options) else { return nil }
    let bodyStart = reader.pos
    let headerLines = reader.line - 1

    // Two halves: the second starts at a line start after the middle. A quoted cell spanning that line
    // break would make the second thread start inside it; the first thread's last record must then end
    // exactly where the second began, which is checked.
    let middle = bodyStart + (buffer.count - bodyStart) / 2
    var split = middle
    while split < buffer.count && buffer[split] != 0x0A { split += 1 }
    split = min(split + 1, buffer.count)
    let halves: [Range<Int>] =
      buffer.count - bodyStart < session.options.fastPathThreshold || split >= buffer.count
      ? [bodyStart..<buffer.count] : [bodyStart..<split, split..<buffer.count]
    let options = session.options
    nonisolated(unsafe) let base = buffer
    // The first part has room for all the rows, so that the others are appended to it without growing.
    let parts: [Part?] = Parallel.map(halves.enumerated().map { k, range in
      { Part.read(base, range: range, share: k == 0 ? halves.count : 1, layout: layout, options: options, delimiter: delimiter) }
    })
    if parts.allSatisfy({ $0 != nil }) && (parts.count == 1 || parts[0]!.end == split) {
      return join(parts.map { $0! }, layout: layout, session: session, headerLines: headerLines)
    }
    // The second half may have started inside a quoted cell: read the whole file on one thread.
    guard halves.count == 2, let whole = Part.read(base, range: bodyStart..<buffer.count, layout: layout, options: options, delimiter: delimiter) else {
      return nil
    }
    return join([whole], layout: layout, session: session, headerLines: headerLines)
  }

  /// The columns this path reads.
  enum Column: Int, CaseIterable {
    case year, month, day, time, endYear, endMonth, endDay, endTime, displayDate, headline, text, media, mediaCredit, mediaCaption, type,
      group, countries, people

    /// The header text (lowercased) that names the column.
    var name: String {
      switch self {
      case .year: "year"
      case .month: "month"
      case .day: "day"
      case .time: "time"
      case .endYear: "end year"
      case .endMonth: "end month"
      case .endDay: "end day"
      case .endTime: "end time"
      case .displayDate: "display date"
      case .headline: "headline"
      case .text: "text"
      case .media: "media"
      case .mediaCredit: "media credit"
      case .mediaCaption: "media caption"
      case .type: "type"
      case .group: "group"
      case .countries: "countries"
      case .people: "people"
      }
    }
  }

  /// Which column holds what, for a header this path can read; nil for anything else.
  struct Layout: Sendable {
    var columns: [String: Int] = [:]
    var count: Int
    /// The field number of each `Column` (by its raw value), -1 where the sheet has none: looked up by
    /// name for every cell, the dictionary was a tenth of the load's profile.
    private(set) var positions: [Int] = []

    init?(names: [String], options: ImportOptions) {
      guard options.columns.isEmpty else { return nil }
      count = names.count
      let known: Set<String> = [
        "year", "month", "day", "time", "end year", "end month", "end day", "end time", "display date", "headline", "text",
        "media", "media credit", "media caption", "media thumbnail", "alt text", "type", "group", "tag", "background",
      ]
      for (k, name) in names.enumerated() {
        let key = name.lowercased()
        if known.contains(key) {
          if columns[key] == nil { columns[key] = k }
        } else {
          // Beside the template, only the columns the reference importer reads as countries and people.
          let folded = TextFolding.folded(name)
          if ImportField.countries.guesses.contains(folded), columns["countries"] == nil {
            columns["countries"] = k
          } else if ImportField.people.guesses.contains(folded), columns["people"] == nil {
            columns["people"] = k
          } else if ImportField.allCases.contains(where: { $0.guesses.contains(folded) }) {
            return nil
          }
        }
      }
      if columns["group"] == nil, let tag = columns["tag"] { columns["group"] = tag }
      guard columns["year"] != nil else { return nil }
      positions = Column.allCases.map { columns[$0.name] ?? -1 }
    }

    @inline(__always) func position(_ c: Column) -> Int { positions[c.rawValue] }
  }

  /// One thread's rows, as columns.
  struct Part: @unchecked Sendable {
    var columns = EventColumns()
    var text: [UInt8] = []
    /// Tags and people's names, as their bytes, in order of first use here; rows refer to them by number.
    /// Interned on their bytes, without a `String` a row; the join gives them the reference importer's
    /// numbers (tags by their text, people by their folded name).
    var tags = ByteInterner()
    var people = ByteInterner()
    /// The title row and era rows: (row, headline, text) and (row, slide).
    var title: (headline: String, text: String)?
    var eras: [(row: Int, start: TimelineDate, end: TimelineDate, title: String, summary: String)] = []
    /// Rows and lines read (both counted from this part's start).
    var rows = 0
    var lines = 0
    /// Where the last record read ends.
    var end = 0
    var usedDefaultConfidence = false
    /// Where rows come from, with the row and line set for each.
    private var origin = PackedPosition(.cell(row: 1, header: nil, line: 1, column: 1))
    /// A cell's plain text, reused from row to row.
    private var scratch: [UInt8] = []
    /// Which two-letter codes the built-in table has, by slot (asking the table copies a country a code).
    private static let builtInSlots = (0..<26 * 26).map { CountryTable.builtIn.contains(slot: $0) }

    /// Reads `range` (whole records); nil at the first row this path does not handle. Room is made for
    /// `share` times the rows and text the range holds, so that a first part taking the others' rows
    /// after it does not grow.
    static func read(_ buffer: UnsafeBufferPointer<UInt8>, range: Range<Int>, share: Int = 1, layout: Layout, options: ImportOptions, delimiter: UInt8) -> Part? {
      var part = Part()
      // The whole file, so that the last record may run past the range's end (a quoted line break).
      var reader = CSVReader(buffer, delimiter: delimiter, start: range.lowerBound)
      var fields: [CSVReader.Field] = []
      var countryCache: [String: String?] = [:]
      let estimate = range.count / 300 * share
      part.columns.reserve(estimate)
      // Titles, texts and ids take about 85% of a row's bytes (the benchmark's sheet): room for as many
      // bytes as the range holds and a little more, so that the text never grows (growing copies it).
      // Pages never written cost nothing.
      part.text.reserveCapacity((range.count + range.count / 16) * share)
      do {
        while try reader.next(into: &fields) {
          part.rows = reader.record
          if fields.allSatisfy({ $0.start == $0.end }) { continue }
          guard fields.count <= layout.count else { return nil }
          let added = fields.withUnsafeBufferPointer {
            part.add($0, reader: reader, layout: layout, options: options, countryCache: &countryCache)
          }
          guard added else { return nil }
          if reader.pos >= range.upperBound { break }
        }
      } catch {
        return nil
      }
      part.rows = reader.record
      part.lines = reader.line - 1
      part.end = reader.pos
      return part
    }

    /// Adds one row; false when the row is not one this path handles.
    mutating func add(
      _ fields: UnsafeBufferPointer<CSVReader.Field>, reader: CSVReader, layout: Layout, options: ImportOptions,
      countryCache: inout [String: String?]
    ) -> Bool {
      @inline(__always) func field(_ c: Column) -> CSVReader.Field? {
        let k = layout.position(c)
        return k >= 0 && k < fields.count ? fields[k] : nil
      }
      func string(_ c: Column) -> String { field(c).map(reader.trimmedString) ?? "" }
      @inline(__always) func isEmpty(_ c: Column) -> Bool {
        guard let f = field(c) else { return true }
        return reader.raw(f).allSatisfy { $0 == 0x20 || $0 == 0x09 }
      }
      func integer(_ c: Column) -> Int64?? {
        guard let f = field(c) else { return .some(nil) }
        let r = reader.raw(f)
        if r.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return .some(nil) }
        if !f.needsCleaning, r.count <= 12, let v = plainInteger(r) { return .some(v) }
        switch DateReading.integerPart(string(c)) {
        case .success(let v): return .some(v)
        case .failure: return nil
        }
      }
      func date(end: Bool, notes: inout [String]) -> TimelineDate?? {
        guard let year = integer(end ? .endYear : .year), let month = integer(end ? .endMonth : .month), let day = integer(end ? .endDay : .day)
        else { return nil }
        var hour: Int64?
        var minute: Int64?
        let timeColumn: Column = end ? .endTime : .time
        if !isEmpty(timeColumn) {
          guard year != nil, let t = timeOfDay(field(timeColumn)!, reader: reader) else { return nil }
          if day != nil {
            hour = Int64(t.hour)
            minute = Int64(t.minute)
          } else {
            notes.append("\(end ? "End time" : "Time"): \(string(timeColumn))")
          }
        }
        if year == nil && month == nil && day == nil { return .some(nil) }
        guard case .success(let d) = DateReading.timelineJSDate(year: year, month: month, day: day, hour: hour, minute: minute) else {
          return nil
        }
        return .some(d)
      }

      let type = isEmpty(.type) ? "" : string(.type).lowercased()
      if type == "title" && title == nil {
        title = (HTMLText.singleLine(HTMLText.plainText(string(.headline)).text), HTMLText.plainText(string(.text)).text)
        return true
      }
      var timeNotes: [String] = []
      guard let startOrNil = date(end: false, notes: &timeNotes), let end = date(end: true, notes: &timeNotes) else { return false }
      // Headline and text go straight into the text as plain text.
      func plain(_ c: Column) -> (TextRef, [HTMLText.Link]) {
        let at = text.count
        var links: [HTMLText.Link] = []
        if let f = field(c) {
          if f.needsCleaning {
            links = reader.bytes(f).withUnsafeBufferPointer { HTMLText.plainText($0, into: &text) }
          } else {
            links = HTMLText.plainText(reader.raw(f), into: &text)
          }
        }
        return (text.count == at ? .empty : TextRef(offset: at, length: text.count - at, escaped: false), links)
      }
      let mark = text.count
      let (headline, headlineLinks) = plain(.headline)
      let (body, bodyLinks) = plain(.text)
      func string(_ r: TextRef) -> String { String(decoding: text[r.range], as: UTF8.self) }
      if type == "era" {
        let title = HTMLText.singleLine(string(headline))
        let summary = string(body)
        text.removeSubrange(mark..<text.count)
        guard let start = startOrNil, let end, !title.isEmpty, !Rules.endsBeforeStart(start, end) else { return false }
        eras.append((reader.record, start, end, title, summary))
        return true
      }
      guard let start = startOrNil, headlineLinks.isEmpty, bodyLinks.isEmpty else { return false }
      if let end, Rules.endsBeforeStart(start, end) { return false }
      let media = isEmpty(.media) ? nil : (url: string(.media), credit: string(.mediaCredit), caption: string(.mediaCaption))
      // The headline as it is when it is one line (the common case); else the title rules, as text.
      var titleRef = headline
      if headline.isEmpty || text[headline.range].contains(where: { $0 == 0x0A || $0 == 0x0D }) {
        let titleText = TimelineJSImporter.title(headline: string(headline), text: string(body), caption: media?.caption)
        guard !titleText.isEmpty else { return false }
        titleRef = store(titleText)
      }
      var start2 = start
      let display = isEmpty(.displayDate) ? nil : string(.displayDate)
      if let display, TimelineJSImporter.isApproximateWording(display) {
        start2 = TimelineDate(year: start.year, month: start.month, day: start.day, hour: start.hour, minute: start.minute, approximate: true)!
      }
      let notes =
        timeNotes.isEmpty && display == nil && media == nil
        ? nil : TimelineJSImporter.notes(timeNotes.isEmpty ? nil : timeNotes.joined(separator: "\n"), displayDate: display, media: media)

      // Countries: codes as they are, names through the resolver (once each).
      if let f = field(.countries), !isEmpty(.countries) {
        let listStart = columns.countries.values.count
        let fine = Self.values(f, reader: reader, options.separator) { value in
          var slot: Int?
          if value.count == 2, value[0] >= 0x41 && value[0] <= 0x5A, value[1] >= 0x41 && value[1] <= 0x5A,
            let s = CountryTable.slot(value[0], value[1]), Self.builtInSlots[s]
          {
            slot = s
          } else {
            let name = String(decoding: value, as: UTF8.self)
            let code: String?
            if let cached = countryCache[name] {
              code = cached
            } else {
              code = try? NameResolver.country(name, in: .builtIn).code
              countryCache[name] = code
            }
            slot = code.flatMap { CountryTable.slot(of: $0) }
          }
          guard let slot else { return false }
          let s = UInt16(slot)
          if !columns.countries.values[listStart...].contains(s) { columns.countries.values.append(s) }
          return true
        }
        guard fine else { return false }
      }
      columns.countries.closeList()
      if let f = field(.people), !isEmpty(.people) {
        let listStart = columns.people.values.count
        _ = Self.values(f, reader: reader, options.separator) { name in
          let k = UInt32(people.intern(name).id)
          if !columns.people.values[listStart...].contains(k) { columns.people.values.append(k) }
          return true
        }
      }
      columns.people.closeList()
      if let f = field(.group), !isEmpty(.group) {
        // The group's plain text; a cell without markup or entities is that text already, trimmed.
        scratch.removeAll(keepingCapacity: true)
        let raw = reader.raw(f)
        let trimmed = UnsafeBufferPointer(rebasing: raw[HTMLText.trimmedRange(raw)])
        if f.needsCleaning || trimmed.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") }) {
          scratch.append(contentsOf: HTMLText.plainText(string(.group)).text.utf8)
        } else {
          scratch.append(contentsOf: trimmed)
        }
        if !scratch.isEmpty { columns.tags.values.append(UInt32(scratch.withUnsafeBufferPointer { tags.intern($0).id })) }
      }
      columns.tags.closeList()
      columns.sources.values.append(0)
      columns.sources.closeList()

      // The id is made when the rows are joined (it holds the row number, known only then).
      columns.ids.append(.empty)
      columns.titles.append(titleRef)
      columns.summaries.append(body)
      columns.notes.append(notes.map { store($0) } ?? .empty)
      columns.starts.append(start2)
      columns.ends.append(end)
      columns.confidences.append(options.defaultConfidence)
      usedDefaultConfidence = true
      columns.fileOrder.append(UInt32(reader.record))
      origin.record = UInt32(clamping: reader.record)
      origin.line = UInt32(clamping: reader.recordLine)
      columns.origins.append(origin)
      return true
    }

    private mutating func store(_ s: String) -> TextRef {
      let n = s.utf8.count
      if n == 0 { return .empty }
      let ref = TextRef(offset: text.count, length: n, escaped: false)
      text.append(contentsOf: s.utf8)
      return ref
    }

    /// Calls `body` with each value of a multi-valued cell (split on the separator, trimmed, empty ones
    /// dropped: `ImportSession.values`) as bytes, until it returns false; false if it did.
    private static func values(
      _ f: CSVReader.Field, reader: CSVReader, _ separator: Character, _ body: (UnsafeBufferPointer<UInt8>) -> Bool
    ) -> Bool {
      guard let ascii = separator.asciiValue else {
        for value in ImportSession.values(reader.trimmedString(f), separator) {
          var copy = value
          guard copy.withUTF8(body) else { return false }
        }
        return true
      }
      func split(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = 0
        for i in 0...cell.count where i == cell.count || cell[i] == ascii {
          let piece = UnsafeBufferPointer(rebasing: cell[start..<i])
          let trimmed = UnsafeBufferPointer(rebasing: piece[HTMLText.trimmedRange(piece)])
          if !trimmed.isEmpty { guard body(trimmed) else { return false } }
          start = i + 1
        }
        return true
      }
      return f.needsCleaning ? reader.bytes(f).withUnsafeBufferPointer(split) : split(reader.raw(f))
    }

    /// A time of day: `H:MM` and `HH:MM` (what spreadsheets write) read from the bytes, anything else
    /// by `DateReading.timeOfDay`; nil when it is not a time.
    private func timeOfDay(_ f: CSVReader.Field, reader: CSVReader) -> (hour: Int, minute: Int)? {
      let r = reader.raw(f)
      @inline(__always) func digit(_ i: Int) -> Int? {
        let d = Int(r[i]) - 0x30
        return d >= 0 && d < 10 ? d : nil
      }
      if !f.needsCleaning, r.count == 4 || r.count == 5, r[r.count - 3] == UInt8(ascii: ":"),
        let m1 = digit(r.count - 2), let m2 = digit(r.count - 1), let h2 = digit(r.count - 4), r.count == 4 || digit(0) != nil
      {
        let hour = (r.count == 5 ? digit(0)! * 10 : 0) + h2
        let minute = m1 * 10 + m2
        if hour <= 23 && minute <= 59 { return (hour, minute) }
      }
      guard case .success(let t) = DateReading.timeOfDay(reader.trimmedString(f)) else { return nil }
      return t
    }

    private func plainInteger(_ r: UnsafeBufferPointer<UInt8>) -> Int64? {
      var i = 0
      var negative = false
      if r.first == UInt8(ascii: "-") {
        negative = true
        i = 1
      }
      guard i < r.count else { return nil }
      var v: Int64 = 0
      while i < r.count {
        let d = r[i] &- UInt8(ascii: "0")
        guard d < 10 else { return nil }
        v = v * 10 + Int64(d)
        i += 1
      }
      return negative ? -v : v
    }
  }

  /// The parts joined into one timeline: row numbers and lines made absolute, text concatenated, tags and
  /// people numbered in order of first use over the whole file, ids made, then the assembler's checks,
  /// sort and indexes.
  private static func join(_ parts: consuming [Part], layout: Layout, session: ImportSession, headerLines: Int) -> ImportResult? {
    var columns = EventColumns()
    // The first part's text and columns are taken over, not copied (a few hundred megabytes at a
    // million rows); the others are appended.
    var text: [UInt8] = []
    swap(&text, &parts[0].text)
    let tags = ByteInterner()
    var tagNames: [String] = []
    // People are one by their folded name ("Ann Lee" and "ann lee"), as the reference importer has them.
    var personNames: [String] = []
    var personByKey = Numbering()
    var title: (headline: String, text: String)?
    var eras: [(row: Int, start: TimelineDate, end: TimelineDate, title: String, summary: String)] = []
    var rowOffset = 1  // the header is row 1
    var lineOffset = headerLines
    let usedDefaultConfidence = parts.contains { $0.usedDefaultConfidence }
    for k in parts.indices {
      var part = Part()
      swap(&part, &parts[k])
      let textOffset = k == 0 ? 0 : text.count
      if k > 0 { text.append(contentsOf: part.text) }
      // Tags are one when their text is the same bytes, as `TimelineBuilder` has them (so two normalisation
      // forms of a word are two tags there and here); the text as a String, so that bytes that are not
      // UTF-8 are replaced first, as the reference's strings replace them.
      let tagMap = (0..<part.tags.count).map { n -> UInt32 in
        var name = part.tags.key(n)
        let (id, isNew) = name.withUTF8 { tags.intern($0) }
        if isNew { tagNames.append(name) }
        return UInt32(id)
      }
      let personMap = (0..<part.people.count).map { n -> UInt32 in
        let name = part.people.key(n)
        let k = personByKey.number(TextFolding.folded(name))
        if k == personNames.count { personNames.append(name) }
        return k
      }
      var c = EventColumns()
      swap(&c, &part.columns)
      // Shifted in place: these columns are a million long.
      func shift(_ refs: inout [TextRef]) {
        guard textOffset > 0 else { return }
        refs.withUnsafeMutableBufferPointer { b in
          for i in b.indices where !b[i].isEmpty { b[i] = TextRef(offset: b[i].offset + textOffset, length: b[i].length, escaped: false) }
        }
      }
      shift(&c.titles)
      shift(&c.summaries)
      shift(&c.notes)
      c.tags.values.withUnsafeMutableBufferPointer { b in
        for i in b.indices { b[i] = tagMap[Int(b[i])] }
      }
      if Set(personMap).count == personMap.count {
        c.people.values.withUnsafeMutableBufferPointer { b in
          for i in b.indices { b[i] = personMap[Int(b[i])] }
        }
      } else {
        // Two spellings of one name ("Ann Lee;ann lee") are one person, listed once.
        var people = FlatLists<UInt32>()
        people.values.reserveCapacity(c.people.values.count)
        people.starts.reserveCapacity(c.people.starts.count)
        for e in 0..<c.people.count {
          let listStart = people.values.count
          for p in c.people[e] where !people.values[listStart...].contains(personMap[Int(p)]) { people.values.append(personMap[Int(p)]) }
          people.closeList()
        }
        c.people = people
      }
      let rows = UInt32(rowOffset)
      let lines = UInt32(lineOffset)
      c.fileOrder.withUnsafeMutableBufferPointer { b in
        for i in b.indices { b[i] += rows }
      }
      c.origins.withUnsafeMutableBufferPointer { b in
        for i in b.indices {
          b[i].record += rows
          b[i].line += lines
        }
      }
      if k == 0 { columns = c } else { columns.append(c) }
      if title == nil { title = part.title } else if part.title != nil { return nil }
      eras += part.eras.map { ($0.row + rowOffset, $0.start, $0.end, $0.title, $0.summary) }
      rowOffset += part.rows
      lineOffset += part.lines
    }
    // Ids: `row-N`, the row as the spreadsheet numbers it (kept in fileOrder until now), written as digits
    // (a string a row cost a tenth of a second here).
    var digits = [UInt8](repeating: 0, count: 10)
    for k in 0..<columns.fileOrder.count {
      let at = text.count
      for b in "row-".utf8 { text.append(b) }
      var v = columns.fileOrder[k]
      var n = 0
      repeat {
        digits[n] = UInt8(ascii: "0") + UInt8(v % 10)
        v /= 10
        n += 1
      } while v > 0
      for i in stride(from: n - 1, through: 0, by: -1) { text.append(digits[i]) }
      columns.ids[k] = TextRef(offset: at, length: text.count - at, escaped: false)
      columns.fileOrder[k] = UInt32(k)
    }
    let people = personNames.enumerated().map { k, name in
      Person(id: session.uniqueID(name, fallback: "person-\(k + 1)", kind: "person"), name: name, role: "Named in \(session.baseName).")
    }
    let eraValues = eras.enumerated().map { k, e in
      Era(id: session.uniqueID(e.title, fallback: "era-\(k + 1)", kind: "era"), title: e.title, start: e.start, end: e.end, summary: e.summary.isEmpty ? nil : e.summary)
    }
    session.usedDefaultConfidence = usedDefaultConfidence
    // Every event cites the file (there is no source column on this path).
    if !columns.ids.isEmpty { _ = session.fileSource() }
    let (timelineTitle, description, fileSource) = session.ending(title: title?.headline, description: title.flatMap { $0.text.isEmpty ? nil : $0.text })
    let assembler = TimelineAssembler(
      title: timelineTitle, description: description, sources: fileSource.map { [$0] } ?? [], people: people, eras: eraValues,
      declaredCountries: [])
    var timings = TimelineLoader.Timings()
    let identityPeople = (0..<UInt32(people.count)).map { $0 }
    let timeline = assembler.timeline(
      columns, people: identityPeople, sources: [0], tags: tagNames, document: DocumentText(bytes: text), originFile: session.fileName,
      timings: &timings)
    return ImportResult(timeline: timeline, format: session.format, skipped: [], skippedCount: 0)
  }
}

extension EventColumns {
  /// Room for `n` more rows.
  mutating func reserve(_ n: Int) {
    do {
      ids.reserveCapacity(n)
      titles.reserveCapacity(n)
      summaries.reserveCapacity(n)
      notes.reserveCapacity(n)
      starts.reserveCapacity(n)
      ends.reserveCapacity(n)
      confidences.reserveCapacity(n)
      fileOrder.reserveCapacity(n)
      origins.reserveCapacity(n)
    }
  }

  /// Another set of rows appended after these.
  mutating func append(_ other: EventColumns) {
    ids += other.ids
    titles += other.titles
    summaries += other.summaries
    notes += other.notes
    starts += other.starts
    ends += other.ends
    confidences += other.confidences
    fileOrder += other.fileOrder
    origins += other.origins
    countries.append(lists: other.countries)
    people.append(lists: other.people)
    tags.append(lists: other.tags)
    sources.append(lists: other.sources)
  }
}

extension FlatLists {
  /// Another set of lists appended after these.
  mutating func append(lists other: FlatLists<T>) {
    let shift = UInt32(values.count)
    values += other.values
    starts += other.starts.dropFirst().map { $0 + shift }
  }
}

/// Names numbered in order of first use.
struct Numbering {
  private(set) var names: [String] = []
  private var numbers: [String: UInt32] = [:]

  /// The name's number, given the next one the first time.
  mutating func number(_ name: String) -> UInt32 {
    if let k = numbers[name] { return k }
    let k = UInt32(names.count)
    numbers[name] = k
    names.append(name)
    return k
  }
}
