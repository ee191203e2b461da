/** The tabs GraphiQL opens with: questions about the seeded article, ready to run. */
export const GRAPHIQL_TABS = [
  {
    query: `# The Qwen organisation on 3 March 2026 (before Lin Junyang's farewell) and on 6 March.
# Every read takes asOf (effective time), knownAt (recorded time) and minConfidence.
query OrgChartBeforeAndAfter {
  before: orgChart(asOf: "2026-03-03T12:00:00+08:00") { ...Tree }
  after: orgChart(asOf: "2026-03-06T12:00:00+08:00") { ...Tree }
}

fragment Tree on OrgUnit {
  name
  roles { title status confidence person { name nativeName } }
  children {
    name
    roles { title status confidence person { name } }
    children {
      name
      roles { title status confidence person { name } }
      children { name roles { title status confidence person { name } } }
    }
  }
}
`,
  },
  {
    query: `# Lin Junyang's history, and his standing at three moments.
query LinJunyang {
  person(handle: "lin-junyang") {
    name
    nativeName
    history {
      title
      unit { name }
      status
      startedAt
      departureAnnouncedAt
      endedAt
      confidence
      sources { publisher publishedAt quote }
    }
  }
  on0303: person(handle: "lin-junyang", asOf: "2026-03-03T12:00:00+08:00") { roles { title status } }
  on0304: person(handle: "lin-junyang", asOf: "2026-03-04T12:00:00+08:00") { roles { title status } }
  on0306: person(handle: "lin-junyang", asOf: "2026-03-06T12:00:00+08:00") { roles { title status } }
}
`,
  },
  {
    query: `# Who leads Qwen post-training? Zhou Hao's appointment is only rumored:
# it disappears when the reader admits only REPORTED facts and up.
query RumorFiltered {
  everything: orgUnit(handle: "qwen", asOf: "2026-03-06T00:00:00+08:00") {
    name
    roles { title status confidence person { name } sources { quote } }
  }
  reportedAndUp: orgUnit(handle: "qwen", asOf: "2026-03-06T00:00:00+08:00", minConfidence: REPORTED) {
    name
    roles { title status confidence person { name } }
  }
}
`,
  },
  {
    query: `# What changed between 3 and 6 March, oldest first, and the raw log.
query WhatChanged {
  changes(from: "2026-03-03T00:00:00+08:00", to: "2026-03-06T00:00:00+08:00") {
    summary
    event { type occurredAt confidence source { quote } }
  }
  events(first: 5) {
    edges { cursor node { position stream version type occurredAt recordedAt } }
    pageInfo { hasNextPage endCursor }
  }
}
`,
  },
];
