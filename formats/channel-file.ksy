meta:
  id: chanval_channel_file
  title: chanval channel file, format version 1.0
  file-extension: bin
  ks-version: '0.10'
  endian: le
doc: |
  A channel file is rapid-response content pushed to every sensor of a
  fleet: a list of instances, each naming a template type and giving one
  criterion per field of that type.  The file is an 80-byte header, a
  section table, and three sections: STRINGS (raw UTF-8 bytes that criteria
  refer to), TYPES (the template types the instances use) and INSTANCES
  (the instance records with their criteria).

  All integers are little-endian and unsigned unless stated.  Offsets are
  from the start of the file unless stated.

  This description follows the layout as it is written; it does not
  enforce the rules (`chanval check` does), so that it can also be used to
  look at broken files.  A rule that a field must obey is named in its doc
  by its chanval rule ID (CV1xx for the container, CV3xx for instance
  semantics).  Only the magic is checked, since without it the file is not
  a channel file at all (CV101).

  `chanval pack` writes the header, then the section table with the
  entries in kind order, then TYPES at offset 128, INSTANCES right after
  it, STRINGS right after INSTANCES, and ends the file where STRINGS ends.
  Other producers may order the sections differently; the section table
  is the only way to find them.
doc-ref: channel-file.md

seq:
  - id: header
    type: header
    size: 80

instances:
  section_table:
    pos: header.section_table_offset
    type: section_entry
    repeat: expr
    repeat-expr: header.section_count
    doc: |
      `section_count` entries of 16 bytes at `section_table_offset`.  The
      table must lie inside the file (CV108).
  strings_lookup:
    pos: header.section_table_offset
    type: section_entry
    repeat: until
    repeat-until: _.kind == section_kind::strings or _io.pos >= table_end
    if: header.section_count > 0
    doc: |
      The section table read up to its first STRINGS entry: the last
      element is that entry when `has_strings` is true.
  types_lookup:
    pos: header.section_table_offset
    type: section_entry
    repeat: until
    repeat-until: _.kind == section_kind::types or _io.pos >= table_end
    if: header.section_count > 0
    doc: |
      The section table read up to its first TYPES entry: the last
      element is that entry when `has_types` is true.
  table_end:
    value: header.section_table_offset + 16 * header.section_count
  has_strings:
    value: header.section_count > 0 and strings_lookup.last.kind == section_kind::strings
  has_types:
    value: header.section_count > 0 and types_lookup.last.kind == section_kind::types
  strings_entry:
    value: strings_lookup.last
    if: has_strings
    doc: The STRINGS section table entry.
  types_body:
    value: types_lookup.last.body.as<types_section>
    if: has_types
    doc: The TYPES section.

types:
  header:
    doc: The 80-byte header at offset 0.
    seq:
      - id: magic
        contents: CHNL
        doc: 43 48 4E 4C (CV101).
      - id: format_major
        type: u2
        doc: 1 (CV102; any other value ends the file's checks).
      - id: format_minor
        type: u2
        doc: 0; a greater value is the warning CV103, and every 1.0 rule still applies.
      - id: header_size
        type: u4
        doc: 80 (CV104).
      - id: flags
        type: u4
        doc: 0; every bit is reserved (CV105).
      - id: channel_id
        type: u4
      - id: section_count
        type: u4
        doc: 1..16, or the configured --max-sections (CV108).
      - id: content_version
        type: u8
      - id: file_size
        type: u8
        doc: The file's real length (CV106).
      - id: section_table_offset
        type: u4
        doc: Equal to header_size, 80 (CV108).
      - id: reserved
        type: u4
        doc: 0 (CV105).
      - id: sha256
        size: 32
        doc: |
          SHA-256 of the whole file, computed with these 32 bytes (offsets
          48..79) set to zero (CV107).

  section_entry:
    doc: |
      One 16-byte section table entry.  A section is the half-open
      interval [offset, offset + size): offset % 4 == 0 and
      offset + size <= file_size without overflow (CV109); a non-empty
      section does not intersect the header, the table or another section
      (CV110); gaps between consecutive intervals are under 4 bytes, zero,
      and end 4-aligned, and the last interval ends at file_size (CV111).
      Each kind appears exactly once (CV113).
    seq:
      - id: kind
        type: u4
        enum: section_kind
        doc: 1 STRINGS, 2 TYPES, 3 INSTANCES; any other value is CV112.
      - id: offset
        type: u4
      - id: size
        type: u4
        doc: May be 0 (an empty STRINGS section occupies no bytes).
      - id: reserved
        type: u4
        doc: 0 (CV105).
    instances:
      body:
        io: _root._io
        pos: offset
        size: size
        type:
          switch-on: kind
          cases:
            section_kind::types: types_section
            section_kind::instances: instances_section
        doc: |
          The section's bytes.  STRINGS (and an unknown kind) stays raw
          bytes: string references point into it.

  types_section:
    doc: |
      `count`, then `count` entries of 8 bytes.  The section size is
      exactly 4 + 8 * count (CV116).
    seq:
      - id: count
        type: u4
      - id: entries
        type: type_entry
        repeat: expr
        repeat-expr: count

  type_entry:
    doc: |
      A template type the file uses.  It must be defined in the template
      types of the run (CV300) with exactly this field count (CV301); no
      (type_id, type_version) twice (CV310).
    seq:
      - id: type_id
        type: u4
      - id: type_version
        type: u2
      - id: field_count
        type: u2

  instances_section:
    doc: |
      `count`, then `count` instance records back to back.  The records
      must fill the section exactly (CV117).
    seq:
      - id: count
        type: u4
      - id: records
        type: instance_record
        repeat: expr
        repeat-expr: count

  instance_record:
    doc: |
      One instance: a 16-byte record head, then `field_count` criteria of
      20 bytes, criterion i applying to input i.  Records are 4-byte
      aligned by construction.
    seq:
      - id: instance_id
        type: u4
        doc: At least 1, unique in the file (CV119).
      - id: type_index
        type: u2
        doc: Index into TYPES entries; must be less than its count (CV118).
      - id: field_count
        type: u2
        doc: Equal to the TYPES entry's field_count (CV301); at most 64 (CV213).
      - id: action
        type: u1
        enum: action
        doc: 1 log, 2 detect, 3 block; anything else is CV307.
      - id: severity
        type: u1
        enum: severity
        doc: 0 info .. 4 critical; anything greater is CV307.
      - id: reserved
        type: u2
        doc: 0 (CV105).
      - id: record_size
        type: u4
        doc: Equal to 16 + 20 * field_count (CV117).
      - id: criteria
        type: criterion
        repeat: expr
        repeat-expr: field_count
    instances:
      type_entry:
        value: _root.types_body.entries[type_index]
        if: _root.has_types and type_index < _root.types_body.count
        doc: The TYPES entry this instance names.
      expected_record_size:
        value: 16 + 20 * field_count

  criterion:
    doc: |
      One 20-byte criterion.  For every criterion at index i whose op is
      not WILDCARD the sensor reads its input i, so on every sensor that
      supports the type, i must be below the number of inputs that sensor
      supplies (CV400).
    seq:
      - id: op
        type: u1
        enum: op
        doc: 0 WILDCARD, 1 EQUALS, 2 REGEX, 3 RANGE; anything else is CV302.
      - id: flags
        type: u1
        doc: |
          Bit 0 case-insensitive, bit 1 negate.  Other bits, any flag on
          WILDCARD, and case-insensitive on RANGE are CV304.
      - id: reserved
        type: u2
        doc: 0 (CV105).
      - id: payload
        size: 16
        type:
          switch-on: op
          cases:
            op::wildcard: wildcard_payload
            op::equals: string_payload
            op::regex: string_payload
            op::range: range_payload
        doc: Interpreted by op; an unknown op leaves it raw.
    instances:
      case_insensitive:
        value: (flags & 1) != 0
      negate:
        value: (flags & 2) != 0
      undefined_flags:
        value: flags & 0xfc
        doc: Must be 0 (CV304).

  wildcard_payload:
    doc: All 16 bytes zero (CV105); no flags (CV304).
    seq:
      - id: reserved
        size: 16

  string_payload:
    doc: |
      The payload of EQUALS and REGEX: a string reference into STRINGS.
      str_offset + str_length <= STRINGS size, computed without overflow
      (CV114); the bytes are well-formed UTF-8 with no NUL (CV115).
      References may overlap; an empty string is (0, 0).
    seq:
      - id: str_offset
        type: u4
        doc: Relative to the start of STRINGS.
      - id: str_length
        type: u4
        doc: In bytes.
      - id: reserved
        type: u8
        doc: 0 (CV105).
    instances:
      in_bounds:
        value: >-
          _root.has_strings and
          str_offset + str_length <= _root.strings_entry.size
      value:
        io: _root._io
        pos: _root.strings_entry.offset + str_offset
        size: str_length
        if: in_bounds
        doc: The referenced bytes (UTF-8).

  range_payload:
    doc: |
      The payload of RANGE: the criterion holds for min <= input <= max
      (min > max is CV305).  The case-insensitive flag is not allowed
      (CV304).
    seq:
      - id: min
        type: s8
      - id: max
        type: s8

enums:
  section_kind:
    1: strings
    2: types
    3: instances
  op:
    0: wildcard
    1: equals
    2: regex
    3: range
  action:
    1: log
    2: detect
    3: block
  severity:
    0: info
    1: low
    2: medium
    3: high
    4: critical
