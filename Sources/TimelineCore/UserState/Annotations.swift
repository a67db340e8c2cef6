/// The user's own marks and notes on events, by event id: they belong to the user, not to the data
/// file, so they are kept in the session (`Session`), follow an event when the file is edited and its
/// order changes, and stay when their event is gone (reported, never silently dropped: the event may
/// come back, or the user may want to know what they had marked).
public struct Annotations: Codable, Equatable, Hashable, Sendable {
  /// Marked event ids.
  public private(set) var marks: Set<String>
  /// Notes by event id; never empty strings.
  public private(set) var notes: [String: String]

  public init(marks: Set<String> = [], notes: [String: String] = [:]) {
    self.marks = marks
    self.notes = notes.filter { !Self.isBlank($0.value) }
  }

  public var isEmpty: Bool { marks.isEmpty && notes.isEmpty }

  public func isMarked(_ id: String) -> Bool { marks.contains(id) }
  public func note(_ id: String) -> String? { notes[id] }

  public mutating func setMarked(_ id: String, _ marked: Bool) {
    if marked { marks.insert(id) } else { marks.remove(id) }
  }

  /// Sets or (with nil or blank text) removes a note.
  public mutating func setNote(_ id: String, _ text: String?) {
    if let text, !Self.isBlank(text) { notes[id] = text } else { notes[id] = nil }
  }

  static func isBlank(_ s: String) -> Bool { s.allSatisfy(\.isWhitespace) }

  // Stored as a sorted list and an object, so that a session file diffs well and reads easily.
  enum CodingKeys: String, CodingKey { case marks, notes }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      marks: Set(try c.decodeIfPresent([String].self, forKey: .marks) ?? []),
      notes: try c.decodeIfPresent([String: String].self, forKey: .notes) ?? [:])
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(marks.sorted(), forKey: .marks)
    try c.encode(notes, forKey: .notes)
  }
}

/// `Annotations` placed on one timeline: the marked events and the notes by event number, and the
/// ids that name no event of this timeline (kept in the annotations, listed here so they can be
/// reported).
public struct AnnotationIndex: Equatable, Hashable, Sendable {
  /// Marked event numbers, chronological.
  public private(set) var marked: [UInt32]
  public private(set) var notes: [UInt32: String]
  /// Marked ids with no event here, sorted.
  public private(set) var missingMarks: [String]
  /// Ids with a note and no event here, sorted.
  public private(set) var missingNotes: [String]

  public static let empty = AnnotationIndex(marked: [], notes: [:], missingMarks: [], missingNotes: [])

  init(marked: [UInt32], notes: [UInt32: String], missingMarks: [String], missingNotes: [String]) {
    self.marked = marked
    self.notes = notes
    self.missingMarks = missingMarks
    self.missingNotes = missingNotes
  }

  /// Finds each annotated id among the timeline's events (one pass over the ids when there are any
  /// annotations; nothing to read otherwise).
  public init(_ annotations: Annotations, in timeline: Timeline) {
    guard !annotations.isEmpty else {
      self = .empty
      return
    }
    let found = timeline.eventNumbers(ofIDs: annotations.marks.union(annotations.notes.keys))
    marked = annotations.marks.compactMap { found[$0] }.sorted()
    missingMarks = annotations.marks.filter { found[$0] == nil }.sorted()
    var notes: [UInt32: String] = [:]
    for (id, text) in annotations.notes { if let e = found[id] { notes[e] = text } }
    self.notes = notes
    missingNotes = annotations.notes.keys.filter { found[$0] == nil }.sorted()
  }

  public var isEmpty: Bool { marked.isEmpty && notes.isEmpty }

  public func isMarked(_ e: UInt32) -> Bool {
    let i = firstMarked(atOrAfter: e)
    return i < marked.count && marked[i] == e
  }

  public func note(_ e: UInt32) -> String? { notes[e] }

  /// Index into `marked` of the first event number at or after `e`.
  public func firstMarked(atOrAfter e: UInt32) -> Int {
    var lo = 0
    var hi = marked.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if marked[mid] >= e { hi = mid } else { lo = mid + 1 }
    }
    return lo
  }

  public mutating func setMarked(_ e: UInt32, _ on: Bool) {
    let i = firstMarked(atOrAfter: e)
    let present = i < marked.count && marked[i] == e
    if on && !present { marked.insert(e, at: i) }
    if !on && present { marked.remove(at: i) }
  }

  public mutating func setNote(_ e: UInt32, _ text: String?) {
    notes[e] = text.flatMap { Annotations.isBlank($0) ? nil : $0 }
  }

  /// The marked events among `events` (sorted event numbers).
  public func onlyMarked(_ events: [UInt32]) -> [UInt32] { SortedLists.intersection(events, marked) }

  /// Events with a note, chronological.
  public var annotatedEvents: [UInt32] { notes.keys.sorted() }
}

extension Timeline {
  /// The event number of each of `ids` that is an event's id here. Reads the ids in file order, in
  /// large reads, when the text is in a file; a few milliseconds for the bundled case, about as long
  /// as reading the ids once for a large file.
  public func eventNumbers(ofIDs ids: Set<String>) -> [String: UInt32] {
    guard !ids.isEmpty else { return [:] }
    var wanted: [[UInt8]: String] = [:]
    for id in ids { wanted[Array(id.utf8)] = id }
    // Only an id of a wanted length is looked up (and copied for it).
    let lengths = Set(wanted.keys.map(\.count))
    let reader = SequentialText(document: document)
    var scratch: [UInt8] = []
    var out: [String: UInt32] = [:]
    for e in idsInFileOrder() {
      reader.bytes(self.ids[e], scratch: &scratch) { bytes in
        if lengths.contains(bytes.count), let id = wanted[Array(bytes)] { out[id] = UInt32(e) }
      }
      if out.count == ids.count { break }
    }
    return out
  }

  /// Event numbers in the order of their ids in the file, so that reading them reads the file forward:
  /// the inverse of the events' file order, which is the order of their ids (at ten million events,
  /// sorting them by offset instead made reopening a file with a session wait a few tenths of a second).
  /// In chronological order when the text is in memory.
  private func idsInFileOrder() -> [Int] {
    guard document.file != nil else { return Array(0..<count) }
    var order = [Int](repeating: -1, count: count)
    var placed = 0
    for e in 0..<count {
      let k = Int(fileOrder[e])
      guard k < count, order[k] < 0 else { break }
      order[k] = e
      placed += 1
    }
    if placed == count { return order }
    // Not a permutation (never made so): by offset.
    return Array(0..<count).sorted { self.ids[$0].offset < self.ids[$1].offset }
  }
}
