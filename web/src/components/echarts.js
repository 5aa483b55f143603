// ECharts with only the charts and components the UI draws (tree-shaken).
import * as echarts from 'echarts/core'
import { BarChart, FunnelChart } from 'echarts/charts'
import { GridComponent, TooltipComponent, LegendComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([BarChart, FunnelChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer])
export default echarts
