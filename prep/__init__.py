"""Committee prep (检察委员会 / 检察官联席会议): the 类案检索 record for a review report, the statutes that
apply in the version in force when it matters, and a graded check of the report's own citations.
`leian cite` and `POST /api/attach` are thin callers of `prep.record.build_record`."""
