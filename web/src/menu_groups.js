// The sidebar's groups, in order. A menu route names its group in meta.group; a group
// with no entry the person may open is not shown. Titles are i18n keys menuGroup.<key>.
import { Briefcase, Calendar, Trophy, OfficeBuilding, Setting } from '@element-plus/icons-vue'

export const menuGroups = [
  { key: 'projects', icon: Briefcase, order: 20 },
  { key: 'rhythm', icon: Calendar, order: 40 },
  { key: 'assessment', icon: Trophy, order: 60 },
  { key: 'organisation', icon: OfficeBuilding, order: 80 },
  { key: 'system', icon: Setting, order: 90 },
]
