/// What one loading thread collects: event columns for a run of the file's events, with the ids they
/// cite interned locally (threads merge their interners at the end).
struct EventBatch {
  var columns = EventColumns()
  /// A 64-bit hash of each event id, to find duplicates without keeping a million strings.
  var idHashes: [UInt64] = []
  var people = ByteInterner(capacity: 4096)
  var sources = ByteInterner(capacity: 256)
  var tags = ByteInterner(capacity: 64)
  /// Slots of codes unknown to the built-in table (the file may declare them).
  var unknownCountrySlots = Set<Int>()

  init(expectedEvents: Int) {
    columns.ids.reserveCapacity(expectedEvents)
    columns.titles.reserveCapacity(expectedEvents)
    columns.summaries.reserveCapacity(expectedEvents)
    columns.notes.reserveCapacity(expectedEvents)
    columns.starts.reserveCapacity(expectedEvents)
    columns.ends.reserveCapacity(expectedEvents)
    columns.confidences.reserveCapacity(expectedEvents)
    columns.fileOrder.reserveCapacity(expectedEvents)
    columns.countries.starts.reserveCapacity(expectedEvents + 1)
    columns.countries.values.reserveCapacity(expectedEvents * 3)
    columns.people.starts.reserveCapacity(expectedEvents + 1)
    columns.people.values.reserveCapacity(expectedEvents * 2)
    columns.tags.starts.reserveCapacity(expectedEvents + 1)
    columns.tags.values.reserveCapacity(expectedEvents * 2)
    columns.sources.starts.reserveCapacity(expectedEvents + 1)
    columns.sources.values.reserveCapacity(expectedEvents * 2)
    idHashes.reserveCapacity(expectedEvents)
  }

  var count: Int { columns.ids.count }

  /// Undoes the list values appended for an event that could not be finished (it ran past the end of
  /// the buffer and will be parsed again after a refill).
  mutating func rollBack(countries: Int, people p: Int, tags t: Int, sources s: Int) {
    columns.countries.values.removeSubrange(countries...)
    columns.people.values.removeSubrange(p...)
    columns.tags.values.removeSubrange(t...)
    columns.sources.values.removeSubrange(s...)
  }
}
