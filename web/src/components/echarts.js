// ECharts with only the charts and components the UI draws (tree-shaken).
import * as echarts from 'echarts/core'
import { BarChart, FunnelChart, GaugeChart } from 'echarts/charts'
import { GridComponent, TooltipComponent, LegendComponent, DatasetComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([BarChart, FunnelChart, GaugeChart, GridComponent, TooltipComponent, LegendComponent, DatasetComponent, CanvasRenderer])
export default echarts
