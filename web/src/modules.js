// Every page module of src/modules/ (see its README): their routes and messages.
const found = import.meta.glob('./modules/*.js', { eager: true })
const modules = Object.keys(found).sort().map((k) => found[k].default)

export const moduleRoutes = modules.flatMap((m) => m.routes || [])
export const moduleMessages = modules.map((m) => m.messages || {})

/** The routes shown in the menu, in menu order. */
export const menuRoutes = moduleRoutes.filter((r) => r.meta && r.meta.menu).sort((a, b) => a.meta.order - b.meta.order)
