// Every page module of src/modules/ (see its README): their routes and messages.
const found = import.meta.glob('./modules/*.js', { eager: true })
const modules = Object.keys(found).sort().map((k) => found[k].default)

export const moduleMessages = modules.map((m) => m.messages || {})

/* A module whose pages' messages are many loads them with its first page: each of its
 * routes carries meta.loadMessages (the same function for all of them, resolving to the
 * zh-CN messages), which router.js merges before the page is drawn. */
for (const m of modules) {
  const lazy = m.lazyMessages && m.lazyMessages['zh-CN']
  if (!lazy) continue
  let loading = null
  const load = () => (loading ||= lazy().then((x) => x.default))
  for (const r of m.routes || []) r.meta = { ...r.meta, loadMessages: load }
}

export const moduleRoutes = modules.flatMap((m) => m.routes || [])

/** The routes shown in the menu, in menu order. */
export const menuRoutes = moduleRoutes.filter((r) => r.meta && r.meta.menu).sort((a, b) => a.meta.order - b.meta.order)
