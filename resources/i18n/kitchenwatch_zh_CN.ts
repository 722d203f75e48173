<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name></name>
    <message>
        <source>&amp;Alarms</source>
        <translation type="obsolete">预警(&amp;A)</translation>
    </message>
    <message>
        <source>Show next waiting alarm</source>
        <translation type="obsolete">显示下一条等待的预警</translation>
    </message>
    <message>
        <source>Alarm list</source>
        <translation type="obsolete">预警列表</translation>
    </message>
    <message>
        <source>Export alarm list (CSV)…</source>
        <translation type="obsolete">导出预警列表（CSV）…</translation>
    </message>
</context>
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../console/diagnostics/about_dialog.py" line="77"/>
        <source>About Kitchen Watch</source>
        <translation>关于 Kitchen Watch</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics/about_dialog.py" line="78"/>
        <source>Kitchen Watch %1 — bright-kitchen supervision console</source>
        <translation>Kitchen Watch %1 — 明厨亮灶监管控制台</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics/about_dialog.py" line="83"/>
        <source>Component</source>
        <translation>组件</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics/about_dialog.py" line="83"/>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics/about_dialog.py" line="95"/>
        <source>Checking what the decoders can open…</source>
        <translation>正在检测解码器可打开的协议…</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics/about_dialog.py" line="99"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics/about_dialog.py" line="105"/>
        <source>Stream protocols this computer can open</source>
        <translation>本机可打开的流协议</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics/about_dialog.py" line="121"/>
        <source>local file</source>
        <translation>本地文件</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics/about_dialog.py" line="123"/>
        <source>H.264 decoding</source>
        <translation>H.264 解码</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics/about_dialog.py" line="130"/>
        <source>not available: %1</source>
        <translation>不可用：%1</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics/about_dialog.py" line="161"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics/about_dialog.py" line="161"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics/about_dialog.py" line="169"/>
        <source>This libVLC has no RTSP module (Debian builds VLC without live555). The console still opens RTSP cameras: it remuxes them with FFmpeg before libVLC decodes them.</source>
        <translation>此 libVLC 没有 RTSP 模块（Debian 编译 VLC 时未包含 live555）。控制台仍可打开 RTSP 摄像头：先用 FFmpeg 转封装，再交给 libVLC 解码。</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics/about_dialog.py" line="172"/>
        <source>Decoders checked.</source>
        <translation>解码器检测完成。</translation>
    </message>
</context>
<context>
    <name>Accounts</name>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="59"/>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="60"/>
        <source>Operator</source>
        <translation>值班员</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="61"/>
        <source>District staff</source>
        <translation>区县人员</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="62"/>
        <source>Demonstration viewer</source>
        <translation>演示大屏</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="63"/>
        <source>Field staff</source>
        <translation>网格员（外勤）</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="64"/>
        <source>Device (gateway)</source>
        <translation>设备（网关）</translation>
    </message>
</context>
<context>
    <name>AccountsWindow</name>
    <message>
        <location filename="../../console/accounts/window.py" line="76"/>
        <location filename="../../console/accounts/window.py" line="88"/>
        <source>Accounts</source>
        <translation>账号</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="89"/>
        <source>Signed in now</source>
        <translation>当前在线</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="103"/>
        <source>Filter by user name, name, role, district or phone</source>
        <translation>按用户名、姓名、角色、区县或电话筛选</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="106"/>
        <location filename="../../console/accounts/window.py" line="292"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="106"/>
        <location filename="../../console/accounts/window.py" line="292"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="106"/>
        <location filename="../../console/accounts/window.py" line="292"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="107"/>
        <location filename="../../console/accounts/window.py" line="293"/>
        <source>District</source>
        <translation>区县</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="107"/>
        <source>Street</source>
        <translation>街道/乡镇</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="107"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="108"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="111"/>
        <source>New account…</source>
        <translation>新建账号…</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="113"/>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="114"/>
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="116"/>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="117"/>
        <source>Reset password…</source>
        <translation>重置密码…</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="154"/>
        <source>active</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="154"/>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="156"/>
        <source>must change password</source>
        <translation>须修改密码</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="159"/>
        <location filename="../../console/accounts/window.py" line="340"/>
        <source>(city-wide)</source>
        <translation>（全市）</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="173"/>
        <source>%1 accounts, %2 disabled</source>
        <translation>共 %1 个账号，%2 个已停用</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="177"/>
        <source>Refused by the server: %1</source>
        <translation>服务器拒绝：%1</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="293"/>
        <source>Signed in</source>
        <translation>登录时间</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="294"/>
        <source>Last seen</source>
        <translation>最近活动</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="294"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="299"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="301"/>
        <source>End session</source>
        <translation>结束会话</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="323"/>
        <source>Working offline: who is signed in is known only to the server.</source>
        <translation>离线工作中：当前在线情况只有服务器知道。</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="326"/>
        <source>Asking the server…</source>
        <translation>正在询问服务器…</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="330"/>
        <source>Could not ask the server: %1</source>
        <translation>无法询问服务器：%1</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="345"/>
        <source>%1 sessions</source>
        <translation>%1 个会话</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="354"/>
        <source>That is a session of your own; log out instead.</source>
        <translation>这是您自己的会话；请直接退出登录。</translation>
    </message>
    <message>
        <location filename="../../console/accounts/window.py" line="360"/>
        <source>Ending the session of %1…</source>
        <translation>正在结束 %1 的会话…</translation>
    </message>
</context>
<context>
    <name>AlarmCentre</name>
    <message>
        <location filename="../../console/alarms/centre.py" line="123"/>
        <source>Alarms</source>
        <translation>预警列表</translation>
    </message>
</context>
<context>
    <name>AlarmCounters</name>
    <message>
        <location filename="../../widgets/alarm_counters.py" line="22"/>
        <source>%1 open</source>
        <extracomment>Counted states in display order, with their status-bar words (&quot;%1&quot; is the number).</extracomment>
        <translation>待处理 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_counters.py" line="23"/>
        <source>%1 acknowledged</source>
        <translation>已确认 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_counters.py" line="24"/>
        <source>%1 dispatched</source>
        <translation>已派单 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_counters.py" line="77"/>
        <source>Alarms:</source>
        <translation>预警：</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_counters.py" line="78"/>
        <source>Click a number to list those alarms</source>
        <translation>点击数字列出这些预警</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_counters.py" line="85"/>
        <source>%1 popups waiting</source>
        <translation>%1 个弹窗等待中</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_counters.py" line="87"/>
        <source>Click to show the next waiting alarm now</source>
        <translation>点击立即显示下一条等待的预警</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_counters.py" line="89"/>
        <source>%1 popups were not queued during a storm; those alarms are in the list</source>
        <translation>预警风暴期间有 %1 个弹窗未排队；这些预警都在列表中</translation>
    </message>
</context>
<context>
    <name>AlarmHistory</name>
    <message>
        <location filename="../../widgets/alarm_history.py" line="31"/>
        <source>Alarm opened</source>
        <translation>预警产生</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_history.py" line="32"/>
        <source>Condition cleared</source>
        <translation>条件已解除</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_history.py" line="33"/>
        <source>Acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_history.py" line="34"/>
        <source>Dismissed as false positive</source>
        <translation>误报关闭</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_history.py" line="35"/>
        <source>Alarm closed</source>
        <translation>预警已关闭</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_history.py" line="36"/>
        <source>Escalated</source>
        <translation>已升级督办</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_history.py" line="37"/>
        <source>Task dispatched</source>
        <translation>已派单</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_history.py" line="48"/>
        <source>Task: %1</source>
        <translation>任务：%1</translation>
    </message>
</context>
<context>
    <name>AlarmHistoryView</name>
    <message>
        <location filename="../../widgets/alarm_history.py" line="62"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_history.py" line="62"/>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_history.py" line="62"/>
        <source>What</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_history.py" line="62"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_history.py" line="79"/>
        <source>waiting to send</source>
        <translation>等待发送</translation>
    </message>
</context>
<context>
    <name>AlarmListWidget</name>
    <message>
        <location filename="../../widgets/alarm_list.py" line="212"/>
        <source>Any time</source>
        <translation>不限时间</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="213"/>
        <source>Last hour</source>
        <translation>最近 1 小时</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="214"/>
        <source>Last 24 hours</source>
        <translation>最近 24 小时</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="215"/>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="216"/>
        <source>Last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="220"/>
        <source>All severities</source>
        <translation>全部级别</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="221"/>
        <source>Minor and above</source>
        <translation>一般及以上</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="222"/>
        <source>Major and above</source>
        <translation>严重及以上</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="223"/>
        <source>Critical only</source>
        <translation>仅紧急</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="264"/>
        <source>Search business or message…</source>
        <translation>搜索商户或预警内容…</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="273"/>
        <source>Group by business</source>
        <translation>按商户合并</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="275"/>
        <source>Show the live alarms of one business and type as one entry with their total count</source>
        <translation>将同一商户、同一类型的未关闭预警合并为一条，并显示总次数</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="281"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="375"/>
        <location filename="../../widgets/alarm_list.py" line="524"/>
        <source>All districts</source>
        <translation>全部辖区</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="435"/>
        <source>%1 more alarms waiting for action are not listed: the newest %2 are; the older ones come in as these are handled</source>
        <translation>另有 %1 条待处理预警未列出：列表显示最新的 %2 条，处理后较早的预警将依次列入</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="480"/>
        <source>Business: %1  ✕</source>
        <translation>商户：%1  ✕</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="516"/>
        <source>All types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="526"/>
        <source>Needs action</source>
        <translation>待处置</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="527"/>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="532"/>
        <source>Newest first</source>
        <translation>最新在前</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="533"/>
        <source>Most severe first</source>
        <translation>级别最高在前</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="581"/>
        <source>Showing %1 of %2 alarms</source>
        <translation>显示 %1 条，共 %2 条预警</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="604"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="609"/>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="610"/>
        <source>Acknowledge all %1</source>
        <translation>全部确认（%1 条）</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="613"/>
        <source>Dispatch…</source>
        <translation>派单…</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="614"/>
        <source>Dismiss as false positive…</source>
        <translation>误报关闭…</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="616"/>
        <source>Evidence pack (PDF)…</source>
        <translation>证据包（PDF）…</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="619"/>
        <source>Only this business</source>
        <translation>仅看此商户</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="635"/>
        <source>Export alarms</source>
        <translation>导出预警</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="635"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="641"/>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="643"/>
        <source>Exported %1 alarms to %2</source>
        <translation>已导出 %1 条预警到 %2</translation>
    </message>
</context>
<context>
    <name>AlarmMenu</name>
    <message>
        <location filename="../../console/alarms/menus.py" line="25"/>
        <source>&amp;Alarms</source>
        <translation>预警(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../console/alarms/menus.py" line="30"/>
        <source>Show next waiting alarm</source>
        <translation>显示下一条等待的预警</translation>
    </message>
    <message>
        <location filename="../../console/alarms/menus.py" line="35"/>
        <source>Alarm list</source>
        <translation>预警列表</translation>
    </message>
    <message>
        <location filename="../../console/alarms/menus.py" line="38"/>
        <source>Export alarm list (CSV)…</source>
        <translation>导出预警列表（CSV）…</translation>
    </message>
</context>
<context>
    <name>AlarmPanel</name>
    <message>
        <location filename="../../widgets/alarm_panel.py" line="133"/>
        <source>Alarm</source>
        <translation>预警</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_panel.py" line="166"/>
        <source>Business</source>
        <translation>单位</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_panel.py" line="167"/>
        <source>History</source>
        <translation>处置记录</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_panel.py" line="176"/>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_panel.py" line="177"/>
        <source>Dismiss as false positive…</source>
        <translation>误报关闭…</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_panel.py" line="178"/>
        <source>Dispatch task…</source>
        <translation>派单…</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_panel.py" line="179"/>
        <source>Escalate…</source>
        <translation>升级督办…</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_panel.py" line="180"/>
        <source>Evidence pack (PDF)…</source>
        <translation>证据包（PDF）…</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_panel.py" line="182"/>
        <source>AI clip</source>
        <translation>AI 片段</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_panel.py" line="185"/>
        <source>Playback</source>
        <translation>回放</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_panel.py" line="187"/>
        <source>Play the recording from before the alarm</source>
        <translation>从告警前开始回放录像</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_panel.py" line="190"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_panel.py" line="249"/>
        <source>Opened %1</source>
        <translation>发生于 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_panel.py" line="251"/>
        <source>×%1, last %2</source>
        <translation>共 %1 次，最近 %2</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_panel.py" line="258"/>
        <source>limit %1</source>
        <translation>限值 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_panel.py" line="264"/>
        <source>Dismissed: %1</source>
        <translation>误报关闭：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_panel.py" line="290"/>
        <source>History (%1)</source>
        <translation>处置记录（%1）</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_panel.py" line="294"/>
        <source>Next alarm (%1 waiting)</source>
        <translation>下一条预警（%1 条等待）</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_panel.py" line="311"/>
        <source>Pre-alarm frame</source>
        <translation>预警前画面</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_panel.py" line="311"/>
        <source>AI snapshot</source>
        <translation>AI 抓图</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_panel.py" line="313"/>
        <source>Snapshot</source>
        <translation>抓图</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_panel.py" line="347"/>
        <source>Back to the live picture</source>
        <translation>返回实时画面</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_panel.py" line="390"/>
        <source>Escalate alarm</source>
        <translation>预警升级督办</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_panel.py" line="391"/>
        <source>Escalate to the supervising official (挂牌督办). Say why:</source>
        <translation>升级为挂牌督办，由督办负责人跟进。请说明原因：</translation>
    </message>
</context>
<context>
    <name>AlarmSounds</name>
    <message>
        <location filename="../../console/alarms/sounds.py" line="201"/>
        <source>Mute alarm sounds</source>
        <extracomment>Severity (db.models.Severity: 1 info … 4 critical) → tone. Higher = more urgent pattern.</extracomment>
        <translation>预警声音静音</translation>
    </message>
    <message>
        <location filename="../../console/alarms/sounds.py" line="207"/>
        <source>Silence the current alarm</source>
        <translation>停止当前预警声音</translation>
    </message>
    <message>
        <location filename="../../console/alarms/sounds.py" line="321"/>
        <source>Alarm sounds are muted; click to switch them on</source>
        <translation>预警声音已静音；点击开启</translation>
    </message>
    <message>
        <location filename="../../console/alarms/sounds.py" line="322"/>
        <source>Alarm sounds are on; click to mute them (Ctrl+M)</source>
        <translation>预警声音已开启；点击静音（Ctrl+M）</translation>
    </message>
</context>
<context>
    <name>AlarmTableModel</name>
    <message>
        <location filename="../../widgets/alarm_list.py" line="99"/>
        <source>Last seen</source>
        <translation>最近发生</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="102"/>
        <source>Opened %1</source>
        <translation>首次发生于 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="104"/>
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="107"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="109"/>
        <source>Business</source>
        <translation>商户</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="113"/>
        <source>District</source>
        <translation>辖区</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="116"/>
        <source>Message</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="118"/>
        <source>Count</source>
        <translation>次数</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="121"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>AlarmText</name>
    <message>
        <location filename="../../widgets/alarm_text.py" line="21"/>
        <source>temperature %1 °C, above the limit of %2 °C</source>
        <extracomment>English sources (collected by lupdate), translated when a sentence is written.</extracomment>
        <translation>温度 %1 °C，高于上限 %2 °C</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_text.py" line="22"/>
        <source>temperature %1 °C, below the limit of %2 °C</source>
        <translation>温度 %1 °C，低于下限 %2 °C</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_text.py" line="23"/>
        <source>humidity %1 %RH, above the limit of %2 %RH</source>
        <translation>湿度 %1 %RH，高于上限 %2 %RH</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_text.py" line="25"/>
        <source>no valid disinfection cycle before the meal service</source>
        <translation>餐前未完成有效消毒</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_text.py" line="27"/>
        <source>invalid disinfection cycle: %1 °C was not held long enough</source>
        <translation>消毒无效：%1 °C 保持时间不足</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_text.py" line="29"/>
        <source>invalid disinfection cycle: it peaked at %1 °C, below the required %2 °C</source>
        <translation>消毒无效：最高温度 %1 °C，低于要求的 %2 °C</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_text.py" line="31"/>
        <source>invalid disinfection cycle: readings were missing while it was at temperature</source>
        <translation>消毒无效：高温保持期间数据缺失</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_text.py" line="33"/>
        <source>invalid disinfection cycle</source>
        <translation>消毒无效</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_text.py" line="34"/>
        <source>camera offline</source>
        <translation>摄像头离线</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_text.py" line="35"/>
        <source>camera picture frozen</source>
        <translation>摄像头画面冻结</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_text.py" line="36"/>
        <source>camera picture black or lens covered</source>
        <translation>摄像头黑屏或镜头被遮挡</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_text.py" line="37"/>
        <source>sensor silent past its reporting interval</source>
        <translation>传感器超过上报周期未上报</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_text.py" line="38"/>
        <source>sensor offline</source>
        <translation>传感器离线</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_text.py" line="39"/>
        <source>AI detected: %1</source>
        <translation>AI 识别：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_text.py" line="40"/>
        <source>%1 (confidence %2 %)</source>
        <translation>%1（置信度 %2%）</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_text.py" line="41"/>
        <source>%1 — %2</source>
        <translation>%1，%2</translation>
    </message>
</context>
<context>
    <name>Baobao</name>
    <message>
        <location filename="../../console/baobao/install.py" line="39"/>
        <location filename="../../console/baobao/install.py" line="46"/>
        <source>包保</source>
        <translation>包保</translation>
    </message>
    <message>
        <location filename="../../console/baobao/install.py" line="49"/>
        <source>包保 figures</source>
        <translation>包保统计</translation>
    </message>
    <message>
        <location filename="../../console/baobao/install.py" line="52"/>
        <source>Checklists per category…</source>
        <translation>各业态检查表…</translation>
    </message>
    <message>
        <location filename="../../console/baobao/install.py" line="72"/>
        <source>包保 visit with checklist…</source>
        <translation>包保检查（按检查表）…</translation>
    </message>
    <message>
        <location filename="../../console/baobao/install.py" line="89"/>
        <source>包保 visit</source>
        <translation>包保检查</translation>
    </message>
    <message>
        <location filename="../../console/baobao/install.py" line="90"/>
        <source>The checklist could not be loaded: %1</source>
        <translation>无法加载检查表：%1</translation>
    </message>
    <message>
        <location filename="../../console/baobao/install.py" line="121"/>
        <source>Checklists</source>
        <translation>检查表</translation>
    </message>
    <message>
        <location filename="../../console/baobao/install.py" line="157"/>
        <source>包保: loading…</source>
        <translation>包保：加载中…</translation>
    </message>
    <message>
        <location filename="../../console/baobao/install.py" line="169"/>
        <source>包保: not available offline</source>
        <translation>包保：离线时不可用</translation>
    </message>
    <message>
        <location filename="../../console/baobao/install.py" line="180"/>
        <source>Last 包保 visit: %1, %2, %3</source>
        <translation>最近包保检查：%1，%2，%3</translation>
    </message>
    <message>
        <location filename="../../console/baobao/install.py" line="183"/>
        <source>problem found</source>
        <translation>发现问题</translation>
    </message>
    <message>
        <location filename="../../console/baobao/install.py" line="184"/>
        <source>compliant</source>
        <translation>合规</translation>
    </message>
    <message>
        <location filename="../../console/baobao/install.py" line="186"/>
        <source>No 包保 visit recorded</source>
        <translation>暂无包保检查记录</translation>
    </message>
    <message>
        <location filename="../../console/baobao/text.py" line="22"/>
        <source>community</source>
        <translation>社区</translation>
    </message>
    <message>
        <location filename="../../console/baobao/text.py" line="23"/>
        <source>street</source>
        <translation>街道</translation>
    </message>
    <message>
        <location filename="../../console/baobao/text.py" line="24"/>
        <source>district</source>
        <translation>区县</translation>
    </message>
    <message>
        <location filename="../../console/baobao/text.py" line="25"/>
        <source>city</source>
        <translation>市级</translation>
    </message>
    <message>
        <location filename="../../console/baobao/text.py" line="29"/>
        <source>on site</source>
        <translation>现场检查</translation>
    </message>
    <message>
        <location filename="../../console/baobao/text.py" line="30"/>
        <source>online</source>
        <translation>网络检查</translation>
    </message>
    <message>
        <location filename="../../console/baobao/text.py" line="31"/>
        <source>online patrol</source>
        <translation>网络巡查</translation>
    </message>
    <message>
        <location filename="../../console/baobao/text.py" line="32"/>
        <source>remote view</source>
        <translation>远程查看</translation>
    </message>
    <message>
        <location filename="../../console/baobao/text.py" line="36"/>
        <source>wall</source>
        <translation>视频墙</translation>
    </message>
    <message>
        <location filename="../../console/baobao/text.py" line="37"/>
        <source>tour</source>
        <translation>轮巡</translation>
    </message>
    <message>
        <location filename="../../console/baobao/text.py" line="38"/>
        <source>patrol</source>
        <translation>巡查</translation>
    </message>
    <message>
        <location filename="../../console/baobao/text.py" line="39"/>
        <source>playback</source>
        <translation>回放</translation>
    </message>
    <message>
        <location filename="../../console/baobao/text.py" line="43"/>
        <source>pass</source>
        <translation>合格</translation>
    </message>
    <message>
        <location filename="../../console/baobao/text.py" line="44"/>
        <source>fail</source>
        <translation>不合格</translation>
    </message>
    <message>
        <location filename="../../console/baobao/text.py" line="45"/>
        <source>not applicable</source>
        <translation>不适用</translation>
    </message>
    <message>
        <location filename="../../console/baobao/text.py" line="50"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location filename="../../console/baobao/text.py" line="51"/>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <location filename="../../console/baobao/text.py" line="56"/>
        <source>Remote view: %1 %2, %3 (%4)</source>
        <translation>远程查看：%1 %2，%3（%4）</translation>
    </message>
</context>
<context>
    <name>BaobaoPanel</name>
    <message>
        <location filename="../../console/baobao/panel.py" line="54"/>
        <source>Record a visit…</source>
        <translation>记录检查…</translation>
    </message>
    <message>
        <location filename="../../console/baobao/panel.py" line="58"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../console/baobao/panel.py" line="64"/>
        <source>Business</source>
        <translation>单位</translation>
    </message>
    <message>
        <location filename="../../console/baobao/panel.py" line="64"/>
        <source>Category</source>
        <translation>业态</translation>
    </message>
    <message>
        <location filename="../../console/baobao/panel.py" line="65"/>
        <location filename="../../console/baobao/panel.py" line="73"/>
        <source>Official</source>
        <translation>包保责任人</translation>
    </message>
    <message>
        <location filename="../../console/baobao/panel.py" line="65"/>
        <source>Last visit</source>
        <translation>最近检查</translation>
    </message>
    <message>
        <location filename="../../console/baobao/panel.py" line="66"/>
        <source>Days overdue</source>
        <translation>逾期天数</translation>
    </message>
    <message>
        <location filename="../../console/baobao/panel.py" line="70"/>
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <location filename="../../console/baobao/panel.py" line="70"/>
        <location filename="../../console/baobao/panel.py" line="74"/>
        <location filename="../../console/baobao/panel.py" line="76"/>
        <source>Businesses</source>
        <translation>单位数</translation>
    </message>
    <message>
        <location filename="../../console/baobao/panel.py" line="71"/>
        <location filename="../../console/baobao/panel.py" line="77"/>
        <source>Coverage</source>
        <translation>包保覆盖率</translation>
    </message>
    <message>
        <location filename="../../console/baobao/panel.py" line="71"/>
        <location filename="../../console/baobao/panel.py" line="74"/>
        <location filename="../../console/baobao/panel.py" line="77"/>
        <source>Supervision rate</source>
        <translation>包保督导率</translation>
    </message>
    <message>
        <location filename="../../console/baobao/panel.py" line="72"/>
        <location filename="../../console/baobao/panel.py" line="75"/>
        <location filename="../../console/baobao/panel.py" line="78"/>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <location filename="../../console/baobao/panel.py" line="73"/>
        <source>Level</source>
        <translation>层级</translation>
    </message>
    <message>
        <location filename="../../console/baobao/panel.py" line="76"/>
        <source>District</source>
        <translation>区县</translation>
    </message>
    <message>
        <location filename="../../console/baobao/panel.py" line="79"/>
        <source>Overdue visits</source>
        <translation>逾期未检查</translation>
    </message>
    <message>
        <location filename="../../console/baobao/panel.py" line="80"/>
        <source>By official</source>
        <translation>按责任人</translation>
    </message>
    <message>
        <location filename="../../console/baobao/panel.py" line="81"/>
        <source>By street</source>
        <translation>按街道</translation>
    </message>
    <message>
        <location filename="../../console/baobao/panel.py" line="82"/>
        <source>By district</source>
        <translation>按区县</translation>
    </message>
    <message>
        <location filename="../../console/baobao/panel.py" line="112"/>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../../console/baobao/panel.py" line="117"/>
        <source>Could not load: %1</source>
        <translation>无法加载：%1</translation>
    </message>
    <message>
        <location filename="../../console/baobao/panel.py" line="124"/>
        <source>包保 coverage %1% (%2 of %3)</source>
        <translation>包保覆盖率 %1%（%2 / %3）</translation>
    </message>
    <message>
        <location filename="../../console/baobao/panel.py" line="128"/>
        <source>Supervision rate %1%</source>
        <translation>包保督导率 %1%</translation>
    </message>
    <message>
        <location filename="../../console/baobao/panel.py" line="131"/>
        <source>%1 visits overdue</source>
        <translation>%1 家逾期未检查</translation>
    </message>
    <message>
        <location filename="../../console/baobao/panel.py" line="136"/>
        <source>%1 officials named without an account</source>
        <translation>%1 家的包保责任人尚无账号</translation>
    </message>
    <message>
        <location filename="../../console/baobao/panel.py" line="142"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../console/baobao/panel.py" line="144"/>
        <source>never</source>
        <translation>从未检查</translation>
    </message>
    <message>
        <location filename="../../console/baobao/panel.py" line="149"/>
        <source>(no street)</source>
        <translation>（未划街道）</translation>
    </message>
    <message>
        <location filename="../../console/baobao/panel.py" line="191"/>
        <source>last visit %1 (%2, %3)</source>
        <translation>最近检查 %1（%2，%3）</translation>
    </message>
    <message>
        <location filename="../../console/baobao/panel.py" line="195"/>
        <source>never visited</source>
        <translation>从未检查</translation>
    </message>
</context>
<context>
    <name>BulletinsWindow</name>
    <message>
        <location filename="../../console/bulletins/window.py" line="61"/>
        <source>Bulletins</source>
        <translation>督查通报</translation>
    </message>
    <message>
        <location filename="../../console/bulletins/window.py" line="76"/>
        <source>2026-11 or 2026-W47</source>
        <translation>2026-11 或 2026-W47</translation>
    </message>
    <message>
        <location filename="../../console/bulletins/window.py" line="78"/>
        <source>Draft now</source>
        <translation>生成草稿</translation>
    </message>
    <message>
        <location filename="../../console/bulletins/window.py" line="80"/>
        <source>Central computes the figures of the period and keeps the draft for review</source>
        <translation>由中心统计本期数据并保存草稿，待审核</translation>
    </message>
    <message>
        <location filename="../../console/bulletins/window.py" line="84"/>
        <location filename="../../console/bulletins/window.py" line="91"/>
        <source>District</source>
        <translation>区县</translation>
    </message>
    <message>
        <location filename="../../console/bulletins/window.py" line="84"/>
        <location filename="../../console/bulletins/window.py" line="91"/>
        <source>Period</source>
        <translation>期间</translation>
    </message>
    <message>
        <location filename="../../console/bulletins/window.py" line="92"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../console/bulletins/window.py" line="92"/>
        <source>Approved by</source>
        <translation>审核人</translation>
    </message>
    <message>
        <location filename="../../console/bulletins/window.py" line="93"/>
        <source>Published by</source>
        <translation>发布人</translation>
    </message>
    <message>
        <location filename="../../console/bulletins/window.py" line="103"/>
        <source>Select a bulletin to preview it.</source>
        <translation>选择一份通报以预览。</translation>
    </message>
    <message>
        <location filename="../../console/bulletins/window.py" line="115"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../console/bulletins/window.py" line="117"/>
        <source>Approve</source>
        <translation>审核通过</translation>
    </message>
    <message>
        <location filename="../../console/bulletins/window.py" line="120"/>
        <source>Publish</source>
        <translation>发布</translation>
    </message>
    <message>
        <location filename="../../console/bulletins/window.py" line="123"/>
        <source>Save PDF…</source>
        <translation>保存 PDF…</translation>
    </message>
    <message>
        <location filename="../../console/bulletins/window.py" line="151"/>
        <source>Draft (awaiting review)</source>
        <translation>草稿（待审核）</translation>
    </message>
    <message>
        <location filename="../../console/bulletins/window.py" line="152"/>
        <source>Approved (not yet published)</source>
        <translation>已审核（待发布）</translation>
    </message>
    <message>
        <location filename="../../console/bulletins/window.py" line="153"/>
        <source>Published</source>
        <translation>已发布</translation>
    </message>
    <message>
        <location filename="../../console/bulletins/window.py" line="193"/>
        <source>Bulletins are kept by central; connect to see them.</source>
        <translation>通报保存在中心服务器，请连接后查看。</translation>
    </message>
    <message>
        <location filename="../../console/bulletins/window.py" line="198"/>
        <source>Could not load the bulletins: %1</source>
        <translation>无法加载通报：%1</translation>
    </message>
    <message>
        <location filename="../../console/bulletins/window.py" line="203"/>
        <source>No bulletins yet: draft one for a period above.</source>
        <translation>暂无通报：请在上方选择期间生成草稿。</translation>
    </message>
    <message>
        <location filename="../../console/bulletins/window.py" line="216"/>
        <source>Central refused the draft: %1</source>
        <translation>中心拒绝生成草稿：%1</translation>
    </message>
    <message>
        <location filename="../../console/bulletins/window.py" line="218"/>
        <source>Drafted %1; review it, then approve.</source>
        <translation>已生成 %1 草稿，请核对后审核。</translation>
    </message>
    <message>
        <location filename="../../console/bulletins/window.py" line="234"/>
        <source>Central refused: %1</source>
        <translation>中心拒绝：%1</translation>
    </message>
    <message>
        <location filename="../../console/bulletins/window.py" line="237"/>
        <source>Approved.</source>
        <translation>已审核通过。</translation>
    </message>
    <message>
        <location filename="../../console/bulletins/window.py" line="237"/>
        <source>Published.</source>
        <translation>已发布。</translation>
    </message>
    <message>
        <location filename="../../console/bulletins/window.py" line="246"/>
        <source>Could not load the PDF: %1</source>
        <translation>无法加载 PDF：%1</translation>
    </message>
    <message>
        <location filename="../../console/bulletins/window.py" line="259"/>
        <source>Save bulletin</source>
        <translation>保存通报</translation>
    </message>
    <message>
        <location filename="../../console/bulletins/window.py" line="260"/>
        <source>PDF (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../console/bulletins/window.py" line="264"/>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
</context>
<context>
    <name>BusinessCardWidget</name>
    <message>
        <location filename="../../widgets/business_card.py" line="57"/>
        <source>Category</source>
        <translation>业态</translation>
    </message>
    <message>
        <source>District / grid</source>
        <translation type="vanished">辖区 / 网格</translation>
    </message>
    <message>
        <location filename="../../widgets/business_card.py" line="58"/>
        <source>District / street / community</source>
        <translation>辖区 / 街道 / 社区</translation>
    </message>
    <message>
        <location filename="../../widgets/business_card.py" line="59"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../widgets/business_card.py" line="60"/>
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <location filename="../../widgets/business_card.py" line="61"/>
        <source>Responsible official</source>
        <translation>包保责任人</translation>
    </message>
    <message>
        <location filename="../../widgets/business_card.py" line="62"/>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location filename="../../widgets/business_card.py" line="63"/>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <location filename="../../widgets/business_card.py" line="79"/>
        <source>Risk</source>
        <translation>风险</translation>
    </message>
    <message>
        <location filename="../../widgets/business_card.py" line="121"/>
        <source>Business unknown</source>
        <translation>未知商户</translation>
    </message>
    <message>
        <location filename="../../widgets/business_card.py" line="131"/>
        <source>no expiry date</source>
        <translation>有效期未登记</translation>
    </message>
    <message>
        <location filename="../../widgets/business_card.py" line="132"/>
        <source> (expired)</source>
        <translation>（已过期）</translation>
    </message>
    <message>
        <location filename="../../widgets/business_card.py" line="133"/>
        <source> (expires within %1 days)</source>
        <translation>（%1 天内到期）</translation>
    </message>
    <message>
        <location filename="../../widgets/business_card.py" line="142"/>
        <source>%1 previous alarms · %2 open tasks</source>
        <translation>历史预警 %1 条 · 未销号任务 %2 个</translation>
    </message>
</context>
<context>
    <name>BusinessDetailView</name>
    <message>
        <location filename="../../widgets/business_detail.py" line="124"/>
        <source>no expiry date recorded</source>
        <translation>未登记有效期</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="127"/>
        <source>expired %1 days ago</source>
        <translation>已过期 %1 天</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="130"/>
        <source>expires today</source>
        <translation>今天到期</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="131"/>
        <source>expires in %1 days</source>
        <translation>%1 天后到期</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="133"/>
        <source>valid</source>
        <translation>有效</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="295"/>
        <source>This business has no sensors.</source>
        <extracomment>&quot;Export disinfection ledger…&quot;: the console downloads the 清洗消毒台账 from central.</extracomment>
        <translation>该单位没有传感器。</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="301"/>
        <source>Sensors</source>
        <translation>传感器</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="310"/>
        <source>Show on the wall</source>
        <translation>上墙显示</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="312"/>
        <source>Show all cameras on the wall</source>
        <translation>全部摄像头上墙</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="318"/>
        <source>Cameras</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="320"/>
        <source>Ledger</source>
        <translation>台账</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="320"/>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="321"/>
        <source>Valid until</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="321"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="326"/>
        <source>Export disinfection ledger (Excel)…</source>
        <translation>导出清洗消毒台账 (Excel)…</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="329"/>
        <source>The 30 days&apos; cleaning and disinfection ledger written from the cabinet sensors: one row per meal, a missing cycle in red</source>
        <translation>由消毒柜传感器自动记录的近 30 天清洗消毒台账：每餐一行，缺失的消毒以红色标出</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="338"/>
        <source>Ledgers</source>
        <translation>台账</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="339"/>
        <source>Opened</source>
        <translation>发生时间</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="339"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="339"/>
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="340"/>
        <location filename="../../widgets/business_detail.py" line="342"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="340"/>
        <source>Count</source>
        <translation>次数</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="340"/>
        <source>Message</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="341"/>
        <source>Alarms</source>
        <translation>预警</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="342"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="342"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="343"/>
        <source>Assignee</source>
        <translation>承办人</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="343"/>
        <source>Deadline</source>
        <translation>期限</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="344"/>
        <source>Tasks</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="353"/>
        <source>%1 — business details</source>
        <translation>%1 — 单位详情</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="385"/>
        <source>History not available: %1</source>
        <translation>历史数据不可用：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="403"/>
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="403"/>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="449"/>
        <source>(overdue)</source>
        <translation>（已超期）</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="471"/>
        <source>Food business licence</source>
        <translation>食品经营许可证</translation>
    </message>
</context>
<context>
    <name>BusinessDetails</name>
    <message>
        <location filename="../../console/channels/business_detail.py" line="71"/>
        <location filename="../../console/channels/business_detail.py" line="286"/>
        <source>Business details…</source>
        <extracomment>Called when a details window first shows its business (console/risk adds the score).</extracomment>
        <translation>单位详情…</translation>
    </message>
    <message>
        <location filename="../../console/channels/business_detail.py" line="105"/>
        <source>Save disinfection ledger</source>
        <translation>保存清洗消毒台账</translation>
    </message>
    <message>
        <location filename="../../console/channels/business_detail.py" line="107"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../console/channels/business_detail.py" line="123"/>
        <source>Could not export the ledger: %1</source>
        <translation>无法导出台账：%1</translation>
    </message>
    <message>
        <location filename="../../console/channels/business_detail.py" line="127"/>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <location filename="../../console/channels/business_detail.py" line="283"/>
        <source>Show on the wall</source>
        <translation>上墙显示</translation>
    </message>
</context>
<context>
    <name>BusinessDialog</name>
    <message>
        <location filename="../../console/registry/dialogs.py" line="546"/>
        <source>Business</source>
        <translation>经营主体</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="549"/>
        <source>Its cameras and sensors are retired with it. A business with open alarms or tasks is not retired.</source>
        <translation>它的摄像头和传感器随之停用。有未办结告警或任务的经营主体不能停用。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="553"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="554"/>
        <source>Unified social credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="556"/>
        <source>Licence number</source>
        <translation>许可证编号</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="558"/>
        <source>Licence valid until</source>
        <translation>许可证有效期至</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="560"/>
        <source>Category</source>
        <translation>业态</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="562"/>
        <source>District</source>
        <translation>区县</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="564"/>
        <source>Street / township</source>
        <translation>街道/乡镇</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="565"/>
        <source>Community</source>
        <translation>社区/网格</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="566"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="567"/>
        <source>Latitude (WGS-84)</source>
        <translation>纬度（WGS-84）</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="568"/>
        <source>Longitude (WGS-84)</source>
        <translation>经度（WGS-84）</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="570"/>
        <source>Responsible official (包保)</source>
        <translation>包保责任人</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="571"/>
        <source>Official&apos;s phone</source>
        <translation>包保人电话</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="572"/>
        <source>Food-safety director</source>
        <translation>食品安全总监</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="573"/>
        <source>Director&apos;s phone</source>
        <translation>总监电话</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="574"/>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="575"/>
        <source>Contact&apos;s phone</source>
        <translation>联系人电话</translation>
    </message>
</context>
<context>
    <name>CabinetGauge</name>
    <message>
        <location filename="../../widgets/gauges.py" line="368"/>
        <source>Idle</source>
        <translation>待机</translation>
    </message>
    <message>
        <location filename="../../widgets/gauges.py" line="369"/>
        <source>Heating</source>
        <translation>升温中</translation>
    </message>
    <message>
        <location filename="../../widgets/gauges.py" line="370"/>
        <source>Holding</source>
        <translation>恒温中</translation>
    </message>
    <message>
        <location filename="../../widgets/gauges.py" line="371"/>
        <source>Cycle valid</source>
        <translation>消毒有效</translation>
    </message>
    <message>
        <location filename="../../widgets/gauges.py" line="372"/>
        <source>Cycle invalid</source>
        <translation>消毒无效</translation>
    </message>
    <message>
        <location filename="../../widgets/gauges.py" line="379"/>
        <source>%1 of %2 min</source>
        <translation>%1 / %2 分钟</translation>
    </message>
    <message>
        <location filename="../../widgets/gauges.py" line="382"/>
        <source>to %1 °C</source>
        <translation>目标 %1 °C</translation>
    </message>
    <message>
        <location filename="../../widgets/gauges.py" line="384"/>
        <source>%1 min held, %2</source>
        <translation>恒温 %1 分钟，%2 结束</translation>
    </message>
    <message>
        <location filename="../../widgets/gauges.py" line="389"/>
        <source>target not reached</source>
        <translation>未达到目标温度</translation>
    </message>
    <message>
        <location filename="../../widgets/gauges.py" line="390"/>
        <source>held only %1 min</source>
        <translation>仅恒温 %1 分钟</translation>
    </message>
    <message>
        <location filename="../../widgets/gauges.py" line="392"/>
        <source>readings missing</source>
        <translation>读数缺失</translation>
    </message>
    <message>
        <location filename="../../widgets/gauges.py" line="396"/>
        <source>last cycle valid</source>
        <translation>上次消毒有效</translation>
    </message>
    <message>
        <location filename="../../widgets/gauges.py" line="398"/>
        <source>last cycle invalid</source>
        <translation>上次消毒无效</translation>
    </message>
    <message>
        <location filename="../../widgets/gauges.py" line="399"/>
        <source>no cycle yet</source>
        <translation>尚无消毒记录</translation>
    </message>
    <message>
        <location filename="../../widgets/gauges.py" line="533"/>
        <source>%1 — rule: ≥ %2 °C for %3 min</source>
        <translation>%1 — 规则：≥ %2 °C 持续 %3 分钟</translation>
    </message>
</context>
<context>
    <name>CameraDialog</name>
    <message>
        <location filename="../../console/registry/dialogs.py" line="602"/>
        <source>Camera of %1</source>
        <translation>%1 的摄像头</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="609"/>
        <source>Sensors in its room stay and no longer show its picture. A camera with open alarms is not retired.</source>
        <translation>同一房间的传感器保留，但不再关联其画面。有未办结告警的摄像头不能停用。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="613"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="614"/>
        <source>GB/T 28181 code</source>
        <translation>国标编码（GB/T 28181）</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="616"/>
        <source>Place in the kitchen</source>
        <translation>安装位置</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="617"/>
        <source>Main stream</source>
        <translation>主码流地址</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="619"/>
        <source>Sub stream</source>
        <translation>子码流地址</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="620"/>
        <source>Playback address</source>
        <translation>回放地址</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="621"/>
        <source>May be shown to the public</source>
        <translation>可向公众展示</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="627"/>
        <source>Trying the address with the wall&apos;s probe…</source>
        <translation>正在用电视墙的探测器试连地址…</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="640"/>
        <source>The stream plays: %1 %2×%3</source>
        <translation>视频流可以播放：%1 %2×%3</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="645"/>
        <source>The stream did not play (%1): %2</source>
        <translation>视频流无法播放（%1）：%2</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="648"/>
        <source>Save anyway</source>
        <translation>仍然保存</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="649"/>
        <source>Check the address, or save anyway.</source>
        <translation>请检查地址，或仍然保存。</translation>
    </message>
</context>
<context>
    <name>CentralMedia</name>
    <message>
        <location filename="../../console/media/errors.py" line="26"/>
        <source>The attachment address is not on this central server; not downloaded.</source>
        <translation>附件地址不属于本中心服务器，已拒绝下载。</translation>
    </message>
    <message>
        <location filename="../../console/media/errors.py" line="29"/>
        <source>The session has ended; log in again to see the photo.</source>
        <translation>会话已结束，请重新登录后查看照片。</translation>
    </message>
    <message>
        <location filename="../../console/media/errors.py" line="32"/>
        <source>The central server cannot be reached; the photo was not downloaded.</source>
        <translation>无法连接中心服务器，照片未下载。</translation>
    </message>
    <message>
        <location filename="../../console/media/errors.py" line="35"/>
        <source>The photo is larger than the download limit; not downloaded.</source>
        <translation>照片超过下载大小限制，未下载。</translation>
    </message>
    <message>
        <location filename="../../console/media/errors.py" line="38"/>
        <source>The photo is not on the central server (HTTP 404).</source>
        <translation>中心服务器上没有这张照片（HTTP 404）。</translation>
    </message>
    <message>
        <location filename="../../console/media/errors.py" line="39"/>
        <source>The photo could not be downloaded: %1</source>
        <translation>照片无法下载：%1</translation>
    </message>
    <message>
        <location filename="../../console/tasks/centre.py" line="103"/>
        <source>Not connected to the central server; the photo was not downloaded.</source>
        <translation>未连接中心服务器，照片未下载。</translation>
    </message>
    <message>
        <location filename="../../console/tasks/centre.py" line="117"/>
        <source>The photo could not be read (not a JPEG or PNG image).</source>
        <translation>照片无法读取（不是 JPEG 或 PNG 图片）。</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="347"/>
        <source>Choose your password</source>
        <translation>设置您的密码</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="348"/>
        <source>An administrator set your password. Choose your own before you continue; only you will know it.</source>
        <translation>您的密码由管理员设置。请先设置只有您自己知道的新密码再继续。</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="366"/>
        <source>Choose an acceptable password.</source>
        <translation>请设置符合要求的密码。</translation>
    </message>
</context>
<context>
    <name>ChannelModel</name>
    <message>
        <location filename="../../console/channels/tree.py" line="269"/>
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../console/channels/tree.py" line="269"/>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../console/channels/tree.py" line="273"/>
        <source>%1 of %2 cameras online</source>
        <translation>%1 / %2 路摄像头在线</translation>
    </message>
</context>
<context>
    <name>ChannelTree</name>
    <message>
        <location filename="../../console/channels/tree.py" line="311"/>
        <source>Search districts, streets, businesses, cameras</source>
        <translation>搜索辖区、街道、商户、摄像头</translation>
    </message>
</context>
<context>
    <name>ChecklistEditor</name>
    <message>
        <location filename="../../console/baobao/visit.py" line="131"/>
        <source>Checklists per business category</source>
        <translation>各业态检查表</translation>
    </message>
    <message>
        <location filename="../../console/baobao/visit.py" line="141"/>
        <source>One item a line: key | text | English text (the key: a-z, 0-9 and _).</source>
        <translation>每行一项：编号 | 检查内容 | 英文（编号仅限 a-z、0-9 和 _）。</translation>
    </message>
    <message>
        <location filename="../../console/baobao/visit.py" line="165"/>
        <source>Version %1</source>
        <translation>版本 %1</translation>
    </message>
    <message>
        <location filename="../../console/baobao/visit.py" line="179"/>
        <source>Line %1: needs a new key (a-z, 0-9, _) and a text</source>
        <translation>第 %1 行：需要一个未用过的编号（a-z、0-9、_）和检查内容</translation>
    </message>
    <message>
        <location filename="../../console/baobao/visit.py" line="186"/>
        <source>A checklist needs at least one item</source>
        <translation>检查表至少需要一项</translation>
    </message>
</context>
<context>
    <name>Checklists</name>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="53"/>
        <source>Check the special room&apos;s air conditioner is running and set correctly</source>
        <translation>检查专间空调是否正常运行、温度设定是否正确</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="55"/>
        <source>Check the room thermometer against a reference thermometer</source>
        <translation>用标准温度计校核专间温度计</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="57"/>
        <source>Check food stored in the room: time out of temperature, discard if unsafe</source>
        <translation>检查专间内存放的食品：核实脱离温控的时长，不安全的予以废弃</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="60"/>
        <source>Check the door closes and the room is not used for other work</source>
        <translation>检查专间门能否关严，专间是否挪作他用</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="64"/>
        <source>Check the cabinet heats to its rated temperature</source>
        <translation>检查消毒柜能否升温至额定温度</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="65"/>
        <source>Check the cycle length setting and the door seal</source>
        <translation>检查消毒时长设定及柜门密封</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="66"/>
        <source>Re-disinfect the tableware of the affected cycle</source>
        <translation>对该次消毒的餐饮具重新消毒</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="67"/>
        <location filename="../../widgets/dispatch_dialog.py" line="73"/>
        <source>Check the cleaning &amp; disinfection ledger</source>
        <translation>检查清洗消毒台账</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="70"/>
        <source>Ask why no disinfection cycle ran before the meal service</source>
        <translation>询问餐前未进行消毒的原因</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="72"/>
        <source>Check tableware in use was disinfected</source>
        <translation>检查在用餐饮具是否已消毒</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="76"/>
        <source>Check for rodent holes, droppings and gnaw marks</source>
        <translation>检查有无鼠洞、鼠粪和鼠咬痕迹</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="77"/>
        <source>Check traps and bait stations are in place</source>
        <translation>检查捕鼠器和毒饵站是否到位</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="78"/>
        <source>Check the pest-control contract and service records</source>
        <translation>检查有害生物防制合同及服务记录</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="79"/>
        <source>Check food is covered and stored off the floor</source>
        <translation>检查食品是否加盖、离地存放</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="82"/>
        <source>Brief the staff on wearing masks while handling food</source>
        <translation>提醒从业人员加工食品时佩戴口罩</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="83"/>
        <source>Check masks are available in the kitchen</source>
        <translation>检查后厨是否配备口罩</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="86"/>
        <source>Brief the staff on wearing chef hats</source>
        <translation>提醒从业人员佩戴厨师帽</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="87"/>
        <source>Check hats are available in the kitchen</source>
        <translation>检查后厨是否配备厨师帽</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="90"/>
        <source>Brief the staff on work clothes</source>
        <translation>提醒从业人员穿戴工作服</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="91"/>
        <source>Check clean work clothes are available</source>
        <translation>检查是否配备干净的工作服</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="94"/>
        <source>Brief the staff on gloves for ready-to-eat food</source>
        <translation>提醒从业人员加工直接入口食品时佩戴手套</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="95"/>
        <source>Check gloves are available</source>
        <translation>检查是否配备手套</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="98"/>
        <source>Identify the person and stop smoking in the kitchen</source>
        <translation>查明吸烟人员，制止在后厨吸烟</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="99"/>
        <source>Brief all staff; check no-smoking signs</source>
        <translation>提醒全体从业人员；检查禁烟标识</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="102"/>
        <source>Brief the staff: no phones while handling food</source>
        <translation>提醒从业人员：加工食品时禁止使用手机</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="103"/>
        <source>Check a place to leave phones outside the kitchen</source>
        <translation>检查后厨外是否设有手机存放处</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="106"/>
        <source>Check bins have lids and are kept closed</source>
        <translation>检查垃圾桶是否有盖并保持盖闭</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="107"/>
        <source>Check waste is removed regularly</source>
        <translation>检查垃圾是否及时清运</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="110"/>
        <source>Check the cooking area is never left unattended with a flame</source>
        <translation>检查烹饪区有明火时是否始终有人看管</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="112"/>
        <source>Check fire extinguishers and gas shut-off</source>
        <translation>检查灭火器和燃气切断阀</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="115"/>
        <source>Check the camera or sensor has power and network</source>
        <translation>检查摄像头或传感器的供电和网络</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="116"/>
        <source>Ask the business why the device was switched off</source>
        <translation>询问商户关闭设备的原因</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="119"/>
        <source>Inspect the reported problem on site</source>
        <translation>现场核查所报问题</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="120"/>
        <source>Record the findings with photos</source>
        <translation>拍照记录核查情况</translation>
    </message>
</context>
<context>
    <name>CommunityDialog</name>
    <message>
        <location filename="../../console/registry/dialogs.py" line="524"/>
        <source>Community</source>
        <translation>社区/网格</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="527"/>
        <source>Only a community with no businesses left is retired.</source>
        <translation>只有下面已没有经营主体的社区才能停用。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="530"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="531"/>
        <source>District</source>
        <translation>区县</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="533"/>
        <source>Street / township</source>
        <translation>街道/乡镇</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="534"/>
        <source>Grid officer</source>
        <translation>网格员</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="535"/>
        <source>Officer&apos;s phone</source>
        <translation>网格员电话</translation>
    </message>
</context>
<context>
    <name>ConsoleSession</name>
    <message>
        <location filename="../../console/shell/session.py" line="86"/>
        <source>The actions that were waiting to be sent could not be read from the damaged file (%1). Check with central what was recorded before the damage.</source>
        <translation>损坏的文件中待发送的操作无法读取（%1）。请与中心核对损坏前已记录的内容。</translation>
    </message>
    <message>
        <location filename="../../console/shell/session.py" line="90"/>
        <source>%1 action(s) that were waiting to be sent were recovered from the damaged file and will be sent.</source>
        <translation>已从损坏的文件中恢复 %1 条待发送的操作，将会发送。</translation>
    </message>
    <message>
        <location filename="../../console/shell/session.py" line="95"/>
        <source>%1 recorded action(s) could not be read; check with central what was recorded before the damage.</source>
        <translation>有 %1 条已记录的操作无法读取；请与中心核对损坏前已记录的内容。</translation>
    </message>
    <message>
        <location filename="../../console/shell/session.py" line="211"/>
        <source>Check the server address: %1</source>
        <translation>请检查服务器地址：%1</translation>
    </message>
    <message>
        <location filename="../../console/shell/session.py" line="236"/>
        <source>This computer has no data from an earlier login of this user with this password.</source>
        <translation>本机没有该用户以此密码登录过的数据。</translation>
    </message>
    <message>
        <location filename="../../console/shell/session.py" line="293"/>
        <source>The local database could not be read (%1). A copy was kept at %2; the console is downloading everything again from the server.</source>
        <translation>无法读取本地数据库（%1）。已在 %2 保留副本；控制台正在从服务器重新下载全部数据。</translation>
    </message>
    <message>
        <location filename="../../console/shell/session.py" line="568"/>
        <source>%1 action(s) of %2 are kept on this computer and will be sent once %2 has logged in again.</source>
        <translation>%2 的 %1 条操作保留在本机，%2 重新登录后将会发送。</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <location filename="../../console/diagnostics/crash_dialog.py" line="98"/>
        <source>Kitchen Watch — unexpected error</source>
        <translation>Kitchen Watch — 程序异常</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics/crash_dialog.py" line="111"/>
        <source>Copy report</source>
        <translation>复制报告</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics/crash_dialog.py" line="114"/>
        <source>Open log folder</source>
        <translation>打开日志文件夹</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics/crash_dialog.py" line="118"/>
        <source>Quit Kitchen Watch</source>
        <translation>退出 Kitchen Watch</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics/crash_dialog.py" line="122"/>
        <source>Keep working</source>
        <translation>继续工作</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics/crash_dialog.py" line="134"/>
        <source>Something went wrong inside Kitchen Watch. The video wall and the alarms keep running. Copy the report below and send it to support; it contains no passwords.</source>
        <translation>Kitchen Watch 内部出现错误。视频墙和预警仍在正常运行。请复制下方报告并发送给技术支持；报告中不含任何密码。</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics/crash_dialog.py" line="138"/>
        <source>%1 errors so far (the last %2 are shown). The video wall and the alarms keep running. Copy the report and send it to support; restart Kitchen Watch if something no longer works.</source>
        <translation>目前已发生 %1 个错误（显示最近 %2 个）。视频墙和预警仍在正常运行。请复制报告并发送给技术支持；如有功能无法使用，请重启 Kitchen Watch。</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics/crash_dialog.py" line="150"/>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
</context>
<context>
    <name>CrashReporter</name>
    <message>
        <location filename="../../console/diagnostics/crash_dialog.py" line="228"/>
        <source>The console stopped unexpectedly the last time it ran (a crash in native code: the video, the graphics driver or Qt). The stacks of its threads at that moment:</source>
        <translation>控制台上次运行时意外停止（原生代码崩溃：视频解码、显卡驱动或 Qt）。崩溃时各线程的调用栈：</translation>
    </message>
</context>
<context>
    <name>Credentials</name>
    <message>
        <location filename="../../console/shell/credentials.py" line="67"/>
        <source>the Python package &apos;keyring&apos; is not installed</source>
        <translation>未安装 Python 软件包“keyring”</translation>
    </message>
    <message>
        <location filename="../../console/shell/credentials.py" line="72"/>
        <source>the system password store failed to load: %1</source>
        <translation>系统密码库加载失败：%1</translation>
    </message>
    <message>
        <location filename="../../console/shell/credentials.py" line="78"/>
        <source>this computer has no system password store (no Secret Service, KWallet, Credential Manager or Keychain)</source>
        <translation>本机没有系统密码库（未找到 Secret Service、KWallet、Windows 凭据管理器或钥匙串）</translation>
    </message>
    <message>
        <location filename="../../console/shell/credentials.py" line="82"/>
        <source>the only password store found (%1) writes passwords to a plain file</source>
        <translation>找到的唯一密码库（%1）以明文文件保存密码</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <location filename="../../widgets/dashboard.py" line="110"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="367"/>
        <source>Bright-kitchen supervision statistics</source>
        <translation>明厨亮灶监管统计</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="376"/>
        <location filename="../../widgets/dashboard.py" line="485"/>
        <source>Connected businesses</source>
        <translation>接入商户</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="377"/>
        <source>Video channels online</source>
        <translation>视频通道在线</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="378"/>
        <location filename="../../widgets/dashboard.py" line="490"/>
        <source>Sensors online</source>
        <translation>传感器在线</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="379"/>
        <location filename="../../widgets/dashboard.py" line="492"/>
        <source>Alarms today</source>
        <translation>今日预警</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="380"/>
        <source>Task closure rate</source>
        <translation>任务销号率</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="381"/>
        <source>Patrol coverage</source>
        <translation>巡查覆盖率</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="395"/>
        <location filename="../../widgets/dashboard.py" line="513"/>
        <source>Businesses and channels by category</source>
        <translation>各业态商户及通道数</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="398"/>
        <location filename="../../widgets/dashboard.py" line="530"/>
        <source>Channels by district</source>
        <translation>各辖区通道数</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="400"/>
        <location filename="../../widgets/dashboard.py" line="540"/>
        <source>Alarms by type per day</source>
        <translation>每日各类预警</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="402"/>
        <source>Red list (commended)</source>
        <translation>红榜（表扬）</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="404"/>
        <source>Black list (problems found)</source>
        <translation>黑榜（发现问题）</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="413"/>
        <location filename="../../widgets/dashboard.py" line="500"/>
        <source>Key figures</source>
        <translation>主要指标</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="469"/>
        <source>Red list</source>
        <translation>红榜</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="470"/>
        <source>Black list</source>
        <translation>黑榜</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="487"/>
        <source>Video channels</source>
        <translation>视频通道</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="488"/>
        <source>Channels online</source>
        <translation>在线通道</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="493"/>
        <source>Tasks</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="494"/>
        <source>Tasks closed</source>
        <translation>已销号任务</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="495"/>
        <source>Tasks overdue</source>
        <translation>超期任务</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="496"/>
        <source>Supervised cases</source>
        <translation>挂牌督办案件</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="497"/>
        <source>Patrol checks done</source>
        <translation>已完成巡查</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="501"/>
        <source>Figure</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="501"/>
        <source>Number</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="501"/>
        <source>Rate</source>
        <translation>比率</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="514"/>
        <source>Category</source>
        <translation>业态</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="514"/>
        <location filename="../../widgets/dashboard.py" line="531"/>
        <location filename="../../widgets/dashboard.py" line="598"/>
        <source>Businesses</source>
        <translation>商户数</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="514"/>
        <location filename="../../widgets/dashboard.py" line="531"/>
        <location filename="../../widgets/dashboard.py" line="599"/>
        <location filename="../../widgets/dashboard.py" line="601"/>
        <source>Channels</source>
        <translation>通道数</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="531"/>
        <location filename="../../widgets/dashboard.py" line="544"/>
        <source>District</source>
        <translation>辖区</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="532"/>
        <location filename="../../widgets/dashboard.py" line="603"/>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="532"/>
        <source>Online rate</source>
        <translation>在线率</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="537"/>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="537"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="544"/>
        <source>Rank</source>
        <translation>排名</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="544"/>
        <source>Business</source>
        <translation>商户</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="547"/>
        <source>Alarms (30 days)</source>
        <translation>预警（30 天）</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="550"/>
        <source>Score</source>
        <translation>评分</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="553"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="567"/>
        <source>Updated %1</source>
        <translation>更新于 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="570"/>
        <source>Bright-kitchen supervision statistics — %1</source>
        <translation>明厨亮灶监管统计 — %1</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="574"/>
        <source>%1 of target</source>
        <translation>目标完成率 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="578"/>
        <source>%1 of %2 channels</source>
        <translation>%1 / %2 路通道</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="583"/>
        <source>%1 of %2 sensors</source>
        <translation>%1 / %2 个传感器</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="588"/>
        <source>%1 overdue · %2 open</source>
        <translation>超期 %1 · 未销号 %2</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="593"/>
        <source>%1 checks done</source>
        <translation>已巡查 %1 次</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="646"/>
        <source>Export table</source>
        <translation>导出表格</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="647"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../widgets/dashboard.py" line="653"/>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
</context>
<context>
    <name>DismissDialog</name>
    <message>
        <location filename="../../widgets/dialogs.py" line="83"/>
        <source>Dismiss as false positive</source>
        <translation>误报关闭</translation>
    </message>
    <message>
        <location filename="../../widgets/dialogs.py" line="86"/>
        <source>Why is this alarm a false positive? The reason is recorded and shown to supervisors.</source>
        <translation>为什么判定此预警为误报？原因将被记录，上级可以查看。</translation>
    </message>
    <message>
        <location filename="../../widgets/dialogs.py" line="100"/>
        <source>Reason (required)</source>
        <translation>原因（必填）</translation>
    </message>
    <message>
        <location filename="../../widgets/dialogs.py" line="107"/>
        <source>Dismiss alarm</source>
        <translation>误报关闭</translation>
    </message>
    <message>
        <location filename="../../widgets/dialogs.py" line="117"/>
        <source>A reason is required to dismiss an alarm.</source>
        <translation>误报关闭必须填写原因。</translation>
    </message>
</context>
<context>
    <name>DismissReasons</name>
    <message>
        <location filename="../../widgets/dialogs.py" line="28"/>
        <source>False alarm: it was the owner&apos;s cat</source>
        <translation>误报：是店主养的猫</translation>
    </message>
    <message>
        <location filename="../../widgets/dialogs.py" line="29"/>
        <source>False alarm: shadow or moving object, no rodent</source>
        <translation>误报：阴影或移动物体，并无鼠患</translation>
    </message>
    <message>
        <location filename="../../widgets/dialogs.py" line="32"/>
        <source>False alarm: the person was wearing it</source>
        <translation>误报：人员实际已佩戴</translation>
    </message>
    <message>
        <location filename="../../widgets/dialogs.py" line="33"/>
        <source>False alarm: not a kitchen worker (visitor, inspector)</source>
        <translation>误报：非后厨从业人员（访客、检查人员）</translation>
    </message>
    <message>
        <location filename="../../widgets/dialogs.py" line="37"/>
        <source>Sensor under maintenance or being calibrated</source>
        <translation>传感器维护或校准中</translation>
    </message>
    <message>
        <location filename="../../widgets/dialogs.py" line="38"/>
        <source>Sensor placed wrongly; reading not representative</source>
        <translation>传感器安装位置不当，读数不具代表性</translation>
    </message>
    <message>
        <location filename="../../widgets/dialogs.py" line="41"/>
        <source>Business closed today (holiday / renovation)</source>
        <translation>商户今日停业（休息 / 装修）</translation>
    </message>
    <message>
        <location filename="../../widgets/dialogs.py" line="42"/>
        <source>Planned network maintenance</source>
        <translation>计划内网络维护</translation>
    </message>
    <message>
        <location filename="../../widgets/dialogs.py" line="45"/>
        <source>False alarm: detection error</source>
        <translation>误报：识别错误</translation>
    </message>
    <message>
        <location filename="../../widgets/dialogs.py" line="46"/>
        <source>Test event</source>
        <translation>测试事件</translation>
    </message>
</context>
<context>
    <name>DispatchDialog</name>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="169"/>
        <source>Dispatch inspection task</source>
        <translation>派发核查任务</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="179"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="182"/>
        <source>Choose an assignee…</source>
        <translation>选择承办人…</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="189"/>
        <source> — responsible official</source>
        <translation> — 包保责任人</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="191"/>
        <source> — grid officer</source>
        <translation> — 网格员</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="196"/>
        <source>Assignee</source>
        <translation>承办人</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="209"/>
        <source>Deadline</source>
        <translation>期限</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="217"/>
        <source>Add a checklist item…</source>
        <translation>添加检查项…</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="219"/>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="227"/>
        <source>Checklist</source>
        <translation>检查清单</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="230"/>
        <source>Notes for the assignee</source>
        <translation>给承办人的备注</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="234"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="244"/>
        <location filename="../../widgets/dispatch_dialog.py" line="248"/>
        <source>Evidence</source>
        <translation>证据</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="246"/>
        <source>Evidence attached (%1)</source>
        <translation>已附证据（%1）</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="256"/>
        <source>No field officers are available in your scope; the task cannot be dispatched yet.</source>
        <translation>您的辖区内暂无可接单的外勤人员，暂时无法派单。</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="261"/>
        <source>Dispatch</source>
        <translation>派单</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="295"/>
        <source>Choose who should carry out the inspection.</source>
        <translation>请选择执行核查的人员。</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="297"/>
        <source>The deadline must be in the future.</source>
        <translation>期限必须晚于当前时间。</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="299"/>
        <source>Give the task a title.</source>
        <translation>请填写任务标题。</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="337"/>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="338"/>
        <source>%1 days</source>
        <translation>%1 天</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_dialog.py" line="339"/>
        <source>%1: %2 within %3</source>
        <translation>%1：%2须在 %3内完成</translation>
    </message>
</context>
<context>
    <name>DistrictDialog</name>
    <message>
        <location filename="../../console/registry/dialogs.py" line="487"/>
        <source>District</source>
        <translation>区县</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="490"/>
        <source>Only a district with no streets, communities or businesses left is retired.</source>
        <translation>只有下面已没有街道、社区和经营主体的区县才能停用。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="494"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="495"/>
        <source>Name in English</source>
        <translation>英文名称</translation>
    </message>
</context>
<context>
    <name>Duration</name>
    <message>
        <location filename="../../widgets/formatting.py" line="83"/>
        <source>%1 d %2 h</source>
        <translation>%1 天 %2 小时</translation>
    </message>
    <message>
        <location filename="../../widgets/formatting.py" line="85"/>
        <source>%1 d</source>
        <translation>%1 天</translation>
    </message>
    <message>
        <location filename="../../widgets/formatting.py" line="87"/>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <location filename="../../widgets/formatting.py" line="90"/>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <location filename="../../widgets/formatting.py" line="91"/>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
</context>
<context>
    <name>EvidenceDocument</name>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="187"/>
        <location filename="../../widgets/evidence_pdf.py" line="420"/>
        <source>Evidence pack</source>
        <extracomment>Exported video clips: (camera, time range, SHA-256, file name), and their key frames.</extracomment>
        <translation>证据包</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="190"/>
        <source>Alarm %1 · generated %2</source>
        <translation>预警 %1 · 生成于 %2</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="192"/>
        <source>by %1</source>
        <translation>生成人：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="195"/>
        <location filename="../../widgets/evidence_pdf.py" line="212"/>
        <source>Business</source>
        <translation>商户</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="200"/>
        <source>(expired)</source>
        <translation>（已过期）</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="202"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="203"/>
        <source>Category</source>
        <translation>业态</translation>
    </message>
    <message>
        <source>District / grid</source>
        <translation type="vanished">辖区 / 网格</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="204"/>
        <source>District / street / community</source>
        <translation>辖区 / 街道 / 社区</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="205"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="206"/>
        <location filename="../../widgets/evidence_pdf.py" line="210"/>
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="207"/>
        <source>Responsible official</source>
        <translation>包保责任人</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="209"/>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="214"/>
        <source>Alarm</source>
        <translation>预警</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="216"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="217"/>
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="218"/>
        <location filename="../../widgets/evidence_pdf.py" line="263"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="219"/>
        <source>Opened</source>
        <translation>发生时间</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="220"/>
        <source>Last seen</source>
        <translation>最近发生</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="221"/>
        <source>Repeats</source>
        <translation>重复次数</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="226"/>
        <source>limit %1</source>
        <translation>限值 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="227"/>
        <source>Value</source>
        <translation>读数</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="229"/>
        <source>Message</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="231"/>
        <source>Acknowledged</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="233"/>
        <source>Dismissal reason</source>
        <translation>误报原因</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="235"/>
        <source>Closed</source>
        <translation>关闭时间</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="240"/>
        <source>AI clip</source>
        <translation>AI 片段</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="245"/>
        <source>Pre-alarm frame</source>
        <translation>预警前画面</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="246"/>
        <source>Evidence image</source>
        <translation>证据图片</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="252"/>
        <source>Sensor trend</source>
        <translation>传感器趋势</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="257"/>
        <source>Inspection task</source>
        <translation>核查任务</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="262"/>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="264"/>
        <source>Assignee</source>
        <translation>承办人</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="265"/>
        <source>Deadline</source>
        <translation>期限</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="268"/>
        <source>Supervised case</source>
        <translation>挂牌督办</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="268"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="270"/>
        <source>Checklist</source>
        <translation>检查清单</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="272"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="274"/>
        <source>Closed (ticked off)</source>
        <translation>销号时间</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="278"/>
        <source>Timeline</source>
        <translation>处置记录</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="282"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="282"/>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="282"/>
        <source>What</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="282"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="303"/>
        <source>Before</source>
        <translation>整改前</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="303"/>
        <source>After</source>
        <translation>整改后</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="305"/>
        <source>Before and after</source>
        <translation>整改前后对比</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="323"/>
        <source>Video clips</source>
        <translation>视频片段</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_pdf.py" line="448"/>
        <source>page %1 of %2</source>
        <translation>第 %1 页，共 %2 页</translation>
    </message>
</context>
<context>
    <name>EvidenceExport</name>
    <message>
        <location filename="../../console/alarms/evidence_export.py" line="60"/>
        <source>evidence</source>
        <extracomment>Task steps whose photos show the kitchen after the business put things right.</extracomment>
        <translation>证据包</translation>
    </message>
    <message>
        <location filename="../../console/alarms/evidence_export.py" line="121"/>
        <source>the alarm&apos;s evidence image</source>
        <translation>预警证据图片</translation>
    </message>
    <message>
        <location filename="../../console/alarms/evidence_export.py" line="136"/>
        <source>the sensor trend</source>
        <translation>传感器趋势</translation>
    </message>
    <message>
        <location filename="../../console/alarms/evidence_export.py" line="147"/>
        <source>photo %1</source>
        <translation>照片 %1</translation>
    </message>
    <message>
        <location filename="../../console/alarms/evidence_export.py" line="154"/>
        <source>When dispatched</source>
        <translation>派单时</translation>
    </message>
    <message>
        <location filename="../../console/alarms/export.py" line="49"/>
        <source>Save evidence pack</source>
        <translation>保存证据包</translation>
    </message>
    <message>
        <location filename="../../console/alarms/export.py" line="50"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../console/alarms/export.py" line="72"/>
        <source>Evidence pack not saved: %1</source>
        <translation>证据包未保存：%1</translation>
    </message>
    <message>
        <location filename="../../console/alarms/export.py" line="75"/>
        <source>Evidence pack saved: %1 (%2 pages)</source>
        <translation>证据包已保存：%1（共 %2 页）</translation>
    </message>
    <message>
        <location filename="../../console/alarms/export.py" line="78"/>
        <source>without %1</source>
        <translation>缺少%1</translation>
    </message>
</context>
<context>
    <name>EvidenceView</name>
    <message>
        <location filename="../../widgets/evidence_view.py" line="127"/>
        <source>No evidence image</source>
        <translation>无证据图片</translation>
    </message>
</context>
<context>
    <name>ExtraWalls</name>
    <message>
        <location filename="../../console/walls/extra_screens.py" line="107"/>
        <source>Open saved wall on this screen</source>
        <translation>在此屏幕打开已保存的墙</translation>
    </message>
    <message>
        <location filename="../../console/walls/extra_screens.py" line="114"/>
        <source>Save this screen&apos;s wall as…</source>
        <translation>将此屏幕的墙另存为…</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../../console/ledger/dialog.py" line="101"/>
        <source>Import ledgers</source>
        <translation>导入台账</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="105"/>
        <source>Choose the ledger files (.xlsx or .csv) of businesses, cameras and sensors.</source>
        <translation>请选择商户、摄像头和传感器台账文件（.xlsx 或 .csv）。</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="108"/>
        <source>Choose files…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="116"/>
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="116"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="117"/>
        <source>Sheet</source>
        <translation>工作表</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="117"/>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="118"/>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="118"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="126"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="128"/>
        <source>Export problems…</source>
        <translation>导出问题清单…</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="130"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="132"/>
        <source>Import nothing</source>
        <translation>全部不导入</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="167"/>
        <source>Import %1 valid rows</source>
        <translation>导入 %1 条有效记录</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="173"/>
        <source>Ledger files</source>
        <translation>台账文件</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="173"/>
        <source>Ledgers (*.xlsx *.csv);;All files (*)</source>
        <translation>台账 (*.xlsx *.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="181"/>
        <source>The file could not be read: %1</source>
        <translation>无法读取文件：%1</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="192"/>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="222"/>
        <source>Checking row %1 of %2…</source>
        <translation>正在检查第 %1 行，共 %2 行…</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="228"/>
        <source>Cancelled: nothing was checked or imported.</source>
        <translation>已取消：未检查也未导入任何内容。</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="237"/>
        <source>%1 rows read, %2 valid, %3 errors, %4 warnings.</source>
        <translation>读取 %1 行，有效 %2 行，错误 %3 个，警告 %4 个。</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="242"/>
        <source>The check failed: %1</source>
        <translation>检查失败：%1</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="249"/>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="249"/>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="275"/>
        <source>Export problems</source>
        <translation>导出问题清单</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="276"/>
        <source>CSV (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="303"/>
        <source>Importing on the server…</source>
        <translation>正在服务器上导入…</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="309"/>
        <source>Cancelled. If the server had already received the file, the import may still complete; its rows then arrive with the next update.</source>
        <translation>已取消。如果服务器已收到文件，导入仍可能完成，届时数据会随下一次更新到达。</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="316"/>
        <source>The import failed: %1</source>
        <translation>导入失败：%1</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="329"/>
        <source>%1 added, %2 updated, %3 unchanged</source>
        <translation>新增 %1，更新 %2，未变 %3</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="334"/>
        <source>Imported. Businesses: %1. Cameras: %2. Sensors: %3.</source>
        <translation>导入完成。商户：%1。摄像头：%2。传感器：%3。</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="339"/>
        <source>The server found errors: nothing was imported.</source>
        <translation>服务器发现错误：未导入任何内容。</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../widgets/labels.py" line="19"/>
        <source>Extra-large restaurant</source>
        <translation>特大型餐馆</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="20"/>
        <source>Large restaurant</source>
        <translation>大型餐馆</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="21"/>
        <source>Medium restaurant</source>
        <translation>中型餐馆</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="22"/>
        <source>Small restaurant</source>
        <translation>小型餐馆</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="23"/>
        <source>Beverage shop</source>
        <translation>饮品店</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="24"/>
        <source>School / kindergarten canteen</source>
        <translation>学校 / 幼儿园食堂</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="25"/>
        <source>Elderly-care canteen</source>
        <translation>养老机构食堂</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="26"/>
        <source>Hospital canteen</source>
        <translation>医院食堂</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="27"/>
        <source>Government canteen</source>
        <translation>机关食堂</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="31"/>
        <source>Sensor limit breached</source>
        <translation>传感器超限</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="32"/>
        <source>Disinfection cycle invalid</source>
        <translation>消毒无效</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="33"/>
        <source>No disinfection cycle</source>
        <translation>未消毒</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="34"/>
        <source>AI-detected violation</source>
        <translation>AI 识别违规</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="35"/>
        <source>Device offline</source>
        <translation>设备离线</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="36"/>
        <source>Recording stopped</source>
        <translation>录像已停止</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="37"/>
        <source>Licence expired</source>
        <translation>许可证过期</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="41"/>
        <source>No chef hat</source>
        <translation>未戴厨师帽</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="42"/>
        <source>No mask</source>
        <translation>未戴口罩</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="43"/>
        <source>No work clothes</source>
        <translation>未穿工作服</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="44"/>
        <source>No gloves</source>
        <translation>未戴手套</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="45"/>
        <source>Smoking</source>
        <translation>吸烟</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="46"/>
        <source>Phone use</source>
        <translation>使用手机</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="47"/>
        <source>Rodent</source>
        <translation>鼠患</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="48"/>
        <source>Uncovered bin</source>
        <translation>垃圾桶未加盖</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="49"/>
        <source>Unattended flame</source>
        <translation>明火无人看管</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="54"/>
        <source>Temperature too high</source>
        <extracomment>Subtypes of non-AI alarms as central&apos;s rules name them (central/rules.py, ingest.py).</extracomment>
        <translation>温度过高</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="55"/>
        <source>Temperature too low</source>
        <translation>温度过低</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="56"/>
        <source>Humidity too high</source>
        <translation>湿度过高</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="57"/>
        <source>Camera offline</source>
        <translation>摄像头离线</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="58"/>
        <source>Sensor offline</source>
        <translation>传感器离线</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="62"/>
        <source>Info</source>
        <translation>提示</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="63"/>
        <source>Minor</source>
        <translation>一般</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="64"/>
        <source>Major</source>
        <translation>严重</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="65"/>
        <source>Critical</source>
        <translation>紧急</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="69"/>
        <source>Open</source>
        <translation>待处理</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="70"/>
        <source>Acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="71"/>
        <location filename="../../widgets/labels.py" line="77"/>
        <location filename="../../widgets/labels.py" line="87"/>
        <source>Dispatched</source>
        <translation>已派单</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="72"/>
        <source>Dismissed</source>
        <translation>误报关闭</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="73"/>
        <location filename="../../widgets/labels.py" line="82"/>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="78"/>
        <location filename="../../widgets/labels.py" line="88"/>
        <source>Accepted</source>
        <translation>已接单</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="79"/>
        <source>On site</source>
        <translation>现场核查</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="80"/>
        <source>Rectifying</source>
        <translation>整改中</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="81"/>
        <source>Review</source>
        <translation>待复核</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="83"/>
        <location filename="../../widgets/labels.py" line="95"/>
        <source>Rejected</source>
        <translation>已驳回</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="89"/>
        <source>Declined</source>
        <translation>拒绝接单</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="90"/>
        <source>Arrived on site</source>
        <translation>到达现场</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="91"/>
        <source>Rectification ordered</source>
        <translation>责令整改</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="92"/>
        <source>Submitted for review</source>
        <translation>提交复核</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="93"/>
        <source>Closed (ticked off)</source>
        <translation>已销号</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="94"/>
        <source>Closed by a second online look</source>
        <translation>二次网络巡查销号</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="96"/>
        <source>Reopened</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="97"/>
        <source>Escalated</source>
        <translation>升级督办</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="98"/>
        <source>Comment</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="102"/>
        <source>Special room</source>
        <translation>专间</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="103"/>
        <source>Disinfection cabinet</source>
        <translation>消毒柜</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="104"/>
        <source>Refrigerator</source>
        <translation>冷藏柜</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="105"/>
        <source>Freezer</source>
        <translation>冷冻柜</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="109"/>
        <source>Normal</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="110"/>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="111"/>
        <source>Breach</source>
        <translation>超限</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="112"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="116"/>
        <source>rectification plan</source>
        <translation>整改方案</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="117"/>
        <source>rectification</source>
        <translation>整改</translation>
    </message>
    <message>
        <location filename="../../widgets/labels.py" line="118"/>
        <source>re-check</source>
        <translation>复查</translation>
    </message>
</context>
<context>
    <name>LayoutEditor</name>
    <message>
        <location filename="../../videowall/layout_editor.py" line="104"/>
        <source>Custom wall layout</source>
        <translation>自定义画面布局</translation>
    </message>
    <message>
        <location filename="../../videowall/layout_editor.py" line="117"/>
        <source>Split all cells</source>
        <translation>全部拆分</translation>
    </message>
    <message>
        <location filename="../../videowall/layout_editor.py" line="127"/>
        <source>Grid (columns × rows)</source>
        <translation>网格（列 × 行）</translation>
    </message>
    <message>
        <location filename="../../videowall/layout_editor.py" line="134"/>
        <source>Drag across units to merge them into one cell.</source>
        <translation>拖动选择多个格子，合并为一个画面。</translation>
    </message>
    <message>
        <location filename="../../videowall/layout_editor.py" line="158"/>
        <source>That rectangle overlaps a merged cell; split it first.</source>
        <translation>该区域与已合并的画面重叠，请先拆分。</translation>
    </message>
    <message>
        <location filename="../../videowall/layout_editor.py" line="170"/>
        <source>%1 cells</source>
        <translation>%1 个画面</translation>
    </message>
</context>
<context>
    <name>LayoutMenu</name>
    <message>
        <location filename="../../console/walls/layout_menu.py" line="124"/>
        <source>&amp;Layouts</source>
        <translation>布局(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../console/walls/layout_menu.py" line="129"/>
        <source>Save wall as…</source>
        <translation>保存当前画面为…</translation>
    </message>
    <message>
        <location filename="../../console/walls/layout_menu.py" line="132"/>
        <source>Open saved wall</source>
        <translation>打开已保存的画面</translation>
    </message>
    <message>
        <location filename="../../console/walls/layout_menu.py" line="133"/>
        <location filename="../../console/walls/layout_menu.py" line="238"/>
        <source>Delete saved wall</source>
        <translation>删除已保存的画面</translation>
    </message>
    <message>
        <location filename="../../console/walls/layout_menu.py" line="135"/>
        <source>Custom layout with merged cells…</source>
        <translation>自定义合并布局…</translation>
    </message>
    <message>
        <location filename="../../console/walls/layout_menu.py" line="195"/>
        <location filename="../../console/walls/layout_menu.py" line="201"/>
        <location filename="../../console/walls/layout_menu.py" line="213"/>
        <source>Save wall</source>
        <translation>保存画面</translation>
    </message>
    <message>
        <location filename="../../console/walls/layout_menu.py" line="196"/>
        <source>Name of this wall:</source>
        <translation>画面名称：</translation>
    </message>
    <message>
        <location filename="../../console/walls/layout_menu.py" line="202"/>
        <source>A wall named “%1” exists. Replace it?</source>
        <translation>已有名为“%1”的画面，是否替换？</translation>
    </message>
    <message>
        <location filename="../../console/walls/layout_menu.py" line="214"/>
        <source>This name cannot be used: %1</source>
        <translation>不能使用此名称：%1</translation>
    </message>
    <message>
        <location filename="../../console/walls/layout_menu.py" line="219"/>
        <source>Wall saved as “%1”</source>
        <translation>画面已保存为“%1”</translation>
    </message>
    <message>
        <location filename="../../console/walls/layout_menu.py" line="229"/>
        <source>The saved wall “%1” cannot be opened</source>
        <translation>无法打开已保存的画面“%1”</translation>
    </message>
    <message>
        <location filename="../../console/walls/layout_menu.py" line="239"/>
        <source>Delete the saved wall “%1”?</source>
        <translation>删除已保存的画面“%1”？</translation>
    </message>
    <message>
        <location filename="../../console/walls/layout_menu.py" line="254"/>
        <source>the name is empty</source>
        <translation>名称为空</translation>
    </message>
    <message>
        <location filename="../../console/walls/layout_menu.py" line="256"/>
        <source>names starting with “__” are reserved</source>
        <translation>以“__”开头的名称为系统保留</translation>
    </message>
    <message>
        <location filename="../../console/walls/layout_menu.py" line="257"/>
        <source>it is too long</source>
        <translation>名称过长</translation>
    </message>
</context>
<context>
    <name>LedgerActions</name>
    <message>
        <location filename="../../console/ledger/dialog.py" line="389"/>
        <source>&amp;Import ledgers…</source>
        <translation>导入台账(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="392"/>
        <source>Save ledger &amp;template…</source>
        <translation>保存台账模板(&amp;T)…</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="394"/>
        <source>&amp;Export registry…</source>
        <translation>导出档案(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="405"/>
        <source>Save ledger template</source>
        <translation>保存台账模板</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="406"/>
        <source>ledger-template.xlsx</source>
        <translation>台账模板.xlsx</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="407"/>
        <location filename="../../console/ledger/dialog.py" line="416"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="414"/>
        <source>Export registry</source>
        <translation>导出档案</translation>
    </message>
    <message>
        <location filename="../../console/ledger/dialog.py" line="415"/>
        <source>registry.xlsx</source>
        <translation>档案.xlsx</translation>
    </message>
</context>
<context>
    <name>LedgerReason</name>
    <message>
        <location filename="../../console/ledger/reasons.py" line="20"/>
        <source>a value is required</source>
        <translation>此项必填</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="21"/>
        <source>longer than {limit} characters</source>
        <translation>超过 {limit} 个字符</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="22"/>
        <source>the code was stored as a number and Excel kept only 15 digits; format the column as text and type the code again</source>
        <translation>编码被存成了数字，Excel 只保留 15 位有效数字；请把该列设为文本格式后重新输入编码</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="23"/>
        <source>a unified social credit code has 18 characters, this has {length}</source>
        <translation>统一社会信用代码应为 18 位，此处为 {length} 位</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="24"/>
        <source>a unified social credit code has digits and the capitals 0-9 A-H J-N P-R T U W-Y only, not {char!r}</source>
        <translation>统一社会信用代码只含数字和大写字母（不含 I、O、Z、S、V），不应有 {char!r}</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="25"/>
        <source>the check character of the unified social credit code is wrong (expected {expected}), likely a typing error</source>
        <translation>统一社会信用代码校验位错误（应为 {expected}），可能录入有误</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="26"/>
        <source>a food business licence number is JY and 14 digits</source>
        <translation>食品经营许可证编号应为 JY 加 14 位数字</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="27"/>
        <source>a GB/T 28181 code has 20 digits, this has {length}</source>
        <translation>国标编码应为 20 位数字，此处为 {length} 位</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="28"/>
        <source>a GB/T 28181 code has digits only</source>
        <translation>国标编码只能是数字</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="29"/>
        <source>not a mobile (11 digits) or landline (area code and number) phone number</source>
        <translation>不是手机号（11 位）或带区号的固定电话</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="30"/>
        <source>a stream address starts with rtsp://, rtmp://, http(s):// or srt://: {url}</source>
        <translation>码流地址应以 rtsp://、rtmp://、http(s):// 或 srt:// 开头：{url}</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="31"/>
        <source>the stream address names no host: {url}</source>
        <translation>码流地址缺少主机地址：{url}</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="32"/>
        <source>the stream address has an unusable port: {url}</source>
        <translation>码流地址端口无效：{url}</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="33"/>
        <source>the stream address contains spaces: {url}</source>
        <translation>码流地址含有空格：{url}</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="34"/>
        <source>not a number of degrees</source>
        <translation>经纬度不是数字</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="35"/>
        <source>a latitude lies between -90 and 90</source>
        <translation>纬度应在 -90 到 90 之间</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="36"/>
        <source>a longitude lies between -180 and 180</source>
        <translation>经度应在 -180 到 180 之间</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="37"/>
        <source>latitude and longitude look swapped</source>
        <translation>经度和纬度疑似填反</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="38"/>
        <source>give both latitude and longitude, or neither</source>
        <translation>经度和纬度须同时填写或同时留空</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="39"/>
        <source>not a date (use 2027-03-01, 2027/3/1 or 2027年3月1日)</source>
        <translation>不是日期（可写 2027-03-01、2027/3/1 或 2027年3月1日）</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="40"/>
        <source>unknown business category {value!r}</source>
        <translation>未知业态 {value!r}</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="41"/>
        <source>unknown sensor kind {value!r}</source>
        <translation>未知传感器类型 {value!r}</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="42"/>
        <source>answer 是 or 否 (yes or no)</source>
        <translation>请填“是”或“否”</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="43"/>
        <source>not a number</source>
        <translation>不是数字</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="44"/>
        <source>{key} {value} appears again in this file (first at row {first_row})</source>
        <translation>{key} {value} 在文件中重复出现（首次在第 {first_row} 行）</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="45"/>
        <source>unknown district {value!r}</source>
        <translation>未知区县 {value!r}</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="46"/>
        <source>row of district {value!r}, outside your district</source>
        <translation>属于区县 {value!r}，不在您的管辖范围内</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="47"/>
        <source>street {value!r} does not exist yet in {district} and will be created</source>
        <translation>街道 {value!r} 在{district}尚不存在，导入时将新建</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="48"/>
        <source>community {value!r} does not exist yet in {district} and will be created</source>
        <translation>社区 {value!r} 在{district}尚不存在，导入时将新建</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="49"/>
        <source>street {value!r} is not in {district}</source>
        <translation>街道 {value!r} 不属于{district}</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="50"/>
        <source>no business with this credit code or licence number: {value}</source>
        <translation>找不到该统一社会信用代码或许可证编号对应的商户：{value}</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="51"/>
        <source>neither a unified social credit code nor a licence number</source>
        <translation>统一社会信用代码和许可证编号均未填写</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="52"/>
        <source>neither a GB/T 28181 code nor a camera name</source>
        <translation>国标编码和通道名称均未填写</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="53"/>
        <source>camera {value} belongs to another business now and will move to this one</source>
        <translation>摄像头 {value} 目前属于另一家商户，导入后将转到本商户</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="54"/>
        <source>licence {value} belongs to another business than this credit code</source>
        <translation>许可证 {value} 属于另一家商户（与统一社会信用代码不符）</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="55"/>
        <source>the business {value} has errors in its own row</source>
        <translation>商户 {value} 所在行有错误</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="56"/>
        <source>neither a main nor a sub stream address</source>
        <translation>主码流和子码流地址均未填写</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="57"/>
        <source>outside {lo} to {hi} {unit}</source>
        <translation>超出 {lo} 到 {hi} {unit} 的范围</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="58"/>
        <source>a reporting interval lies between 5 and 3600 seconds</source>
        <translation>上报间隔应在 5 到 3600 秒之间</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="59"/>
        <source>the licence expired on {value}</source>
        <translation>许可证已于 {value} 过期</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="60"/>
        <source>sheet {sheet!r} is not a ledger of businesses, cameras or sensors</source>
        <translation>工作表 {sheet!r} 不是商户、摄像头或传感器台账</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="61"/>
        <source>no header row found (expected columns such as {expected})</source>
        <translation>未找到表头行（应含 {expected} 等列）</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="62"/>
        <source>column {column!r} is missing</source>
        <translation>缺少 {column!r} 列</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="63"/>
        <source>the file cannot be read: {detail}</source>
        <translation>无法读取文件：{detail}</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="64"/>
        <source>not an .xlsx or .csv file</source>
        <translation>不是 .xlsx 或 .csv 文件（旧版 .xls 请另存为 .xlsx）</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="65"/>
        <source>the file is neither UTF-8 nor GB18030 text</source>
        <translation>文件既不是 UTF-8 也不是 GB18030 编码</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="66"/>
        <source>more than {limit} rows</source>
        <translation>超过 {limit} 行</translation>
    </message>
    <message>
        <location filename="../../console/ledger/reasons.py" line="67"/>
        <source>the template&apos;s example row (name starting with 示例) is not imported</source>
        <translation>模板示例行（名称以“示例”开头）不会导入</translation>
    </message>
</context>
<context>
    <name>Login</name>
    <message>
        <location filename="../../console/shell/login_dialog.py" line="71"/>
        <source>Your login has expired. Please log in again.</source>
        <translation>登录已过期，请重新登录。</translation>
    </message>
    <message>
        <location filename="../../console/shell/login_dialog.py" line="73"/>
        <source>You were logged out elsewhere. Please log in again.</source>
        <translation>已在其他地方退出登录，请重新登录。</translation>
    </message>
    <message>
        <location filename="../../console/shell/login_dialog.py" line="76"/>
        <source>Your account has been disabled. Ask an administrator.</source>
        <translation>您的账号已被停用，请联系管理员。</translation>
    </message>
    <message>
        <location filename="../../console/shell/login_dialog.py" line="79"/>
        <source>Your password was changed. Log in with the new password.</source>
        <translation>您的密码已被修改，请使用新密码登录。</translation>
    </message>
    <message>
        <location filename="../../console/shell/login_dialog.py" line="82"/>
        <source>Your role or district was changed. Please log in again.</source>
        <translation>您的角色或辖区已变更，请重新登录。</translation>
    </message>
    <message>
        <location filename="../../console/shell/login_dialog.py" line="85"/>
        <source>The server can be reached again. Log in to sync and send the actions recorded meanwhile.</source>
        <translation>服务器已可连接。请登录以同步并发送期间记录的操作。</translation>
    </message>
    <message>
        <location filename="../../console/shell/login_dialog.py" line="89"/>
        <source>The saved password was refused. Log in with the current password.</source>
        <translation>保存的密码被拒绝，请使用当前密码登录。</translation>
    </message>
    <message>
        <location filename="../../console/shell/login_dialog.py" line="91"/>
        <source>The server ended your session: %1</source>
        <translation>服务器已结束您的会话：%1</translation>
    </message>
    <message>
        <location filename="../../console/shell/login_dialog.py" line="99"/>
        <source>Too many failed logins. Try again in %1 s.</source>
        <translation>登录失败次数过多，请 %1 秒后重试。</translation>
    </message>
    <message>
        <location filename="../../console/shell/login_dialog.py" line="103"/>
        <source>This account is disabled. Ask an administrator.</source>
        <translation>该账号已停用，请联系管理员。</translation>
    </message>
    <message>
        <location filename="../../console/shell/login_dialog.py" line="106"/>
        <source>Wrong user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <location filename="../../console/shell/login_dialog.py" line="107"/>
        <source>Login refused: %1</source>
        <translation>登录被拒绝：%1</translation>
    </message>
    <message>
        <location filename="../../console/shell/login_dialog.py" line="109"/>
        <source>Cannot reach the server: %1</source>
        <translation>无法连接服务器：%1</translation>
    </message>
    <message>
        <location filename="../../console/shell/login_dialog.py" line="112"/>
        <source>The server could not log you in: %1</source>
        <translation>服务器无法完成登录：%1</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../console/shell/login_dialog.py" line="122"/>
        <source>Kitchen Watch — log in</source>
        <translation>Kitchen Watch — 登录</translation>
    </message>
    <message>
        <location filename="../../console/shell/login_dialog.py" line="134"/>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location filename="../../console/shell/login_dialog.py" line="135"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../console/shell/login_dialog.py" line="136"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../console/shell/login_dialog.py" line="137"/>
        <source>Remember the password in the system password store</source>
        <translation>在系统密码库中记住密码</translation>
    </message>
    <message>
        <location filename="../../console/shell/login_dialog.py" line="144"/>
        <source>Not available: %1</source>
        <translation>不可用：%1</translation>
    </message>
    <message>
        <location filename="../../console/shell/login_dialog.py" line="151"/>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../console/shell/login_dialog.py" line="152"/>
        <source>Work offline on the local data</source>
        <translation>使用本地数据离线工作</translation>
    </message>
    <message>
        <location filename="../../console/shell/login_dialog.py" line="222"/>
        <source>Check the server address: %1</source>
        <translation>请检查服务器地址：%1</translation>
    </message>
    <message>
        <location filename="../../console/shell/login_dialog.py" line="226"/>
        <source>Enter a user name and a password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
    <message>
        <location filename="../../console/shell/login_dialog.py" line="229"/>
        <source>Logging in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <location filename="../../console/shell/login_dialog.py" line="263"/>
        <source>Choose a new password to continue.</source>
        <translation>请设置新密码后继续。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../console/shell/main_window.py" line="97"/>
        <source>Kitchen Watch — bright-kitchen supervision</source>
        <translation>Kitchen Watch — 明厨亮灶监管</translation>
    </message>
    <message>
        <location filename="../../console/shell/main_window.py" line="106"/>
        <source>Channels</source>
        <translation>通道</translation>
    </message>
    <message>
        <location filename="../../console/shell/main_window.py" line="128"/>
        <source>%1 tiles</source>
        <translation>%1 分屏</translation>
    </message>
    <message>
        <location filename="../../console/shell/main_window.py" line="128"/>
        <source>1 tile</source>
        <translation>1 分屏</translation>
    </message>
    <message>
        <location filename="../../console/shell/main_window.py" line="139"/>
        <source>Layouts</source>
        <translation>布局</translation>
    </message>
    <message>
        <location filename="../../console/shell/main_window.py" line="147"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../console/shell/main_window.py" line="148"/>
        <source>Actions refused by the server…</source>
        <translation>被服务器拒绝的操作…</translation>
    </message>
    <message>
        <location filename="../../console/shell/main_window.py" line="151"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../console/shell/main_window.py" line="156"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../console/shell/main_window.py" line="157"/>
        <source>Wall layout</source>
        <translation>视频墙布局</translation>
    </message>
    <message>
        <location filename="../../console/shell/main_window.py" line="160"/>
        <source>Full screen</source>
        <translation>全屏</translation>
    </message>
    <message>
        <location filename="../../console/shell/main_window.py" line="166"/>
        <source>Show sensor gauges</source>
        <translation>显示传感器仪表</translation>
    </message>
    <message>
        <location filename="../../console/shell/main_window.py" line="172"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../console/shell/main_window.py" line="173"/>
        <source>&amp;About Kitchen Watch</source>
        <translation>关于 Kitchen Watch(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../console/shell/main_window.py" line="267"/>
        <source>Kitchen Watch %1 — bright-kitchen supervision console</source>
        <translation>Kitchen Watch %1 — 明厨亮灶监管控制台</translation>
    </message>
</context>
<context>
    <name>MajorEvents</name>
    <message>
        <location filename="../../console/events/install.py" line="85"/>
        <source>Major events…</source>
        <translation>重大活动保障…</translation>
    </message>
    <message>
        <location filename="../../console/events/install.py" line="87"/>
        <source>New major event…</source>
        <translation>新建重大活动…</translation>
    </message>
</context>
<context>
    <name>MajorEventsWindow</name>
    <message>
        <location filename="../../console/events/window.py" line="36"/>
        <source>upper limit %1 °C</source>
        <translation>上限 %1 °C</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="37"/>
        <source>lower limit %1 °C</source>
        <translation>下限 %1 °C</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="38"/>
        <source>humidity limit %1 %RH</source>
        <translation>湿度上限 %1 %RH</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="39"/>
        <source>alarm after %1 s</source>
        <translation>持续 %1 秒即预警</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="40"/>
        <source>critical %1 °C beyond</source>
        <translation>超出 %1 °C 为严重</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="41"/>
        <source>cycle at %1 °C</source>
        <translation>消毒温度 %1 °C</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="42"/>
        <source>held %1 min</source>
        <translation>保持 %1 分钟</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="43"/>
        <source>data gap at most %1 s</source>
        <translation>数据间隔不超过 %1 秒</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="44"/>
        <source>done %1 min before service</source>
        <translation>开餐前 %1 分钟内完成</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="46"/>
        <source>Breakfast</source>
        <translation>早餐</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="47"/>
        <source>Lunch</source>
        <translation>午餐</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="48"/>
        <source>Dinner</source>
        <translation>晚餐</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="61"/>
        <source>Major events</source>
        <translation>重大活动保障</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="66"/>
        <source>Events</source>
        <translation>活动</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="71"/>
        <source>Meals past due without a sign-off</source>
        <translation>已到时间尚未签收的餐次</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="73"/>
        <source>Reception kitchen</source>
        <translation>接待厨房</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="73"/>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="74"/>
        <source>Meal</source>
        <translation>餐次</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="83"/>
        <source>Sign off: passed</source>
        <translation>签收：合格</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="85"/>
        <source>Sign off: problem found…</source>
        <translation>签收：发现问题…</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="87"/>
        <source>Tour the reception kitchens</source>
        <translation>轮巡接待厨房</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="90"/>
        <source>Save report…</source>
        <translation>保存活动报告…</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="107"/>
        <source>Events could not be loaded: %1</source>
        <translation>无法加载活动：%1</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="115"/>
        <source>in progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="116"/>
        <source>%1 · %2 → %3 · %4 kitchens</source>
        <translation>%1 · %2 → %3 · %4 家厨房</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="130"/>
        <source>No major event in your scope.</source>
        <translation>您的辖区内没有重大活动。</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="149"/>
        <source>Reception kitchens: %1</source>
        <translation>接待厨房：%1</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="150"/>
        <source>Tighter limits: %1</source>
        <translation>收紧的限值：%1</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="151"/>
        <source>Meals signed off: %1</source>
        <translation>已签收餐次：%1</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="193"/>
        <source>Signed off; central records it when the connection allows.</source>
        <translation>已签收；连接可用时中心将记录。</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="199"/>
        <source>Problem found</source>
        <translation>发现问题</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="200"/>
        <source>What was seen:</source>
        <translation>发现的情况：</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="214"/>
        <source>Save the event&apos;s report</source>
        <translation>保存活动报告</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="226"/>
        <source>The report could not be loaded: %1</source>
        <translation>无法获取活动报告：%1</translation>
    </message>
    <message>
        <location filename="../../console/events/window.py" line="230"/>
        <source>Report saved: %1</source>
        <translation>报告已保存：%1</translation>
    </message>
</context>
<context>
    <name>MapPanel</name>
    <message>
        <location filename="../../console/map/panel.py" line="139"/>
        <source>Map</source>
        <translation>地图</translation>
    </message>
    <message>
        <location filename="../../console/map/panel.py" line="236"/>
        <source>Boundaries not loaded: %1</source>
        <translation>边界未加载：%1</translation>
    </message>
</context>
<context>
    <name>MapView</name>
    <message>
        <location filename="../../console/map/view.py" line="70"/>
        <source>open alarm</source>
        <translation>有未处置预警</translation>
    </message>
    <message>
        <location filename="../../console/map/view.py" line="71"/>
        <source>camera offline</source>
        <translation>摄像头离线</translation>
    </message>
    <message>
        <location filename="../../console/map/view.py" line="72"/>
        <source>compliant</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../console/map/view.py" line="73"/>
        <source>not yet connected</source>
        <translation>未接入</translation>
    </message>
    <message>
        <location filename="../../console/map/view.py" line="78"/>
        <source>Camera online rate</source>
        <translation>视频在线率</translation>
    </message>
    <message>
        <location filename="../../console/map/view.py" line="79"/>
        <source>Alarms per 100 kitchens (30 days)</source>
        <translation>每百家预警数（近30天）</translation>
    </message>
    <message>
        <location filename="../../console/map/view.py" line="81"/>
        <source>Patrol coverage (30 days)</source>
        <translation>巡查覆盖率（近30天）</translation>
    </message>
    <message>
        <location filename="../../console/map/view.py" line="257"/>
        <source>No boundary for: %1</source>
        <translation>无边界数据：%1</translation>
    </message>
</context>
<context>
    <name>NewEventDialog</name>
    <message>
        <location filename="../../console/events/new_event.py" line="33"/>
        <source>New major event</source>
        <translation>新建重大活动</translation>
    </message>
    <message>
        <location filename="../../console/events/new_event.py" line="38"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../console/events/new_event.py" line="45"/>
        <source>Starts</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../../console/events/new_event.py" line="46"/>
        <source>Ends</source>
        <translation>结束</translation>
    </message>
    <message>
        <location filename="../../console/events/new_event.py" line="54"/>
        <source>Reception kitchens</source>
        <translation>接待厨房</translation>
    </message>
    <message>
        <location filename="../../console/events/new_event.py" line="55"/>
        <source>Special rooms at most</source>
        <translation>专间温度不超过</translation>
    </message>
    <message>
        <location filename="../../console/events/new_event.py" line="79"/>
        <source>Give the event a name.</source>
        <translation>请填写活动名称。</translation>
    </message>
    <message>
        <location filename="../../console/events/new_event.py" line="81"/>
        <source>Pick at least one reception kitchen.</source>
        <translation>请至少选择一家接待厨房。</translation>
    </message>
    <message>
        <location filename="../../console/events/new_event.py" line="83"/>
        <source>The event must end after it starts.</source>
        <translation>结束时间必须晚于开始时间。</translation>
    </message>
    <message>
        <location filename="../../console/events/new_event.py" line="85"/>
        <source>An event lasts at most 60 days.</source>
        <translation>活动最长 60 天。</translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <location filename="../../widgets/dialogs.py" line="141"/>
        <source>Note (required)</source>
        <translation>备注（必填）</translation>
    </message>
    <message>
        <location filename="../../widgets/dialogs.py" line="141"/>
        <source>Note (optional)</source>
        <translation>备注（选填）</translation>
    </message>
    <message>
        <location filename="../../widgets/dialogs.py" line="158"/>
        <source>Please write a note: the assignee needs to know why.</source>
        <translation>请填写备注：承办人需要了解原因。</translation>
    </message>
    <message>
        <location filename="../../widgets/dialogs.py" line="161"/>
        <source>Please keep it within %1 characters.</source>
        <translation>请控制在 %1 个字以内。</translation>
    </message>
</context>
<context>
    <name>Outbox</name>
    <message>
        <location filename="../../console/shell/outbox_dialog.py" line="39"/>
        <source>Acknowledge alarm</source>
        <translation>确认预警</translation>
    </message>
    <message>
        <location filename="../../console/shell/outbox_dialog.py" line="40"/>
        <source>Dismiss alarm</source>
        <translation>误报关闭预警</translation>
    </message>
    <message>
        <location filename="../../console/shell/outbox_dialog.py" line="41"/>
        <source>Close alarm</source>
        <translation>关闭预警</translation>
    </message>
    <message>
        <location filename="../../console/shell/outbox_dialog.py" line="42"/>
        <source>Escalate alarm</source>
        <translation>预警升级督办</translation>
    </message>
    <message>
        <location filename="../../console/shell/outbox_dialog.py" line="43"/>
        <source>Dispatch task</source>
        <translation>派单</translation>
    </message>
    <message>
        <location filename="../../console/shell/outbox_dialog.py" line="44"/>
        <source>Task step</source>
        <translation>任务流转</translation>
    </message>
    <message>
        <location filename="../../console/shell/outbox_dialog.py" line="45"/>
        <source>Patrol record</source>
        <translation>巡查记录</translation>
    </message>
    <message>
        <location filename="../../console/shell/outbox_dialog.py" line="46"/>
        <source>Save patrol plan</source>
        <translation>保存巡查计划</translation>
    </message>
    <message>
        <location filename="../../console/shell/outbox_dialog.py" line="47"/>
        <source>Patrol: business skipped</source>
        <translation>巡查：跳过单位</translation>
    </message>
    <message>
        <location filename="../../console/shell/outbox_dialog.py" line="48"/>
        <source>Camera health report</source>
        <translation>摄像头状态报告</translation>
    </message>
    <message>
        <location filename="../../console/shell/outbox_dialog.py" line="49"/>
        <source>Sensor thresholds</source>
        <translation>传感器阈值</translation>
    </message>
</context>
<context>
    <name>PanelManager</name>
    <message>
        <location filename="../../console/alarms/panels.py" line="310"/>
        <source>AI clip</source>
        <extracomment>Builds a panel&apos;s live picture: layout name, cameras, the panel that will hold it.</extracomment>
        <translation>AI 片段</translation>
    </message>
</context>
<context>
    <name>PasswordPair</name>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="85"/>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="86"/>
        <source>Again</source>
        <translation>再输一次</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="97"/>
        <source>The two entries differ.</source>
        <translation>两次输入不一致。</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="104"/>
        <source>At least %1 characters, not the user name, not a common password, 3 kinds of characters.</source>
        <translation>至少 %1 个字符，不含用户名，不是常见密码，包含 3 类字符。</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="109"/>
        <source>Good password.</source>
        <translation>密码符合要求。</translation>
    </message>
</context>
<context>
    <name>PasswordPolicy</name>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="42"/>
        <source>At least %1 characters.</source>
        <translation>至少 %1 个字符。</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="44"/>
        <source>At most %1 characters.</source>
        <translation>最多 %1 个字符。</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="46"/>
        <source>Must not contain the user name.</source>
        <translation>不能包含用户名。</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="48"/>
        <source>Too common: it is on the list of passwords attackers try first.</source>
        <translation>过于常见：在攻击者首先尝试的密码清单中。</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="50"/>
        <source>Mix at least 3 of: lower-case letters, upper-case letters, digits, symbols.</source>
        <translation>至少混合以下 3 类：小写字母、大写字母、数字、符号。</translation>
    </message>
</context>
<context>
    <name>PatrolCentre</name>
    <message>
        <location filename="../../console/patrol/centre.py" line="108"/>
        <source>Patrol</source>
        <translation>网络巡查</translation>
    </message>
    <message>
        <location filename="../../console/patrol/centre.py" line="137"/>
        <source>&amp;Patrol</source>
        <translation>巡查(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../console/patrol/centre.py" line="139"/>
        <source>Online patrol panel</source>
        <translation>网络巡查面板</translation>
    </message>
    <message>
        <location filename="../../console/patrol/centre.py" line="141"/>
        <source>Start patrol</source>
        <translation>开始巡查</translation>
    </message>
    <message>
        <location filename="../../console/patrol/centre.py" line="144"/>
        <source>New patrol plan…</source>
        <translation>新建巡查计划…</translation>
    </message>
    <message>
        <location filename="../../console/patrol/centre.py" line="197"/>
        <source>Choose a plan with businesses to patrol first.</source>
        <translation>请先选择一个包含单位的巡查计划。</translation>
    </message>
    <message>
        <location filename="../../console/patrol/centre.py" line="220"/>
        <source>Patrol ended: %1 businesses recorded.</source>
        <translation>巡查结束：已记录 %1 家单位。</translation>
    </message>
    <message>
        <location filename="../../console/patrol/centre.py" line="232"/>
        <source>That business is not in the chosen plan.</source>
        <translation>该单位不在所选计划中。</translation>
    </message>
    <message>
        <location filename="../../console/patrol/centre.py" line="250"/>
        <source>Patrol finished: every business of the plan was looked at (%1 recorded, %2 skipped).</source>
        <translation>巡查完成：计划内单位均已查看（记录 %1 家，跳过 %2 家）。</translation>
    </message>
    <message>
        <location filename="../../console/patrol/centre.py" line="266"/>
        <source>Business %1 is no longer in the registry; skipped.</source>
        <translation>单位 %1 已不在档案中，已跳过。</translation>
    </message>
    <message>
        <location filename="../../console/patrol/centre.py" line="290"/>
        <location filename="../../console/patrol/centre.py" line="302"/>
        <source>Saving the verdict…</source>
        <translation>正在保存巡查结论…</translation>
    </message>
    <message>
        <location filename="../../console/patrol/centre.py" line="311"/>
        <source>Dispatch cancelled: nothing was recorded; give the verdict again.</source>
        <translation>已取消派单：未作记录，请重新给出结论。</translation>
    </message>
    <message>
        <location filename="../../console/patrol/centre.py" line="327"/>
        <source>%1: compliant, recorded.</source>
        <translation>%1：合规，已记录。</translation>
    </message>
    <message>
        <location filename="../../console/patrol/centre.py" line="328"/>
        <source>%1: problem recorded.</source>
        <translation>%1：发现问题，已记录。</translation>
    </message>
    <message>
        <location filename="../../console/patrol/centre.py" line="330"/>
        <source>No snapshot: %1</source>
        <translation>无截图：%1</translation>
    </message>
    <message>
        <location filename="../../console/patrol/centre.py" line="352"/>
        <source>%1 skipped.</source>
        <translation>已跳过 %1。</translation>
    </message>
    <message>
        <location filename="../../console/patrol/centre.py" line="420"/>
        <source>Plan “%1” saved.</source>
        <translation>计划“%1”已保存。</translation>
    </message>
</context>
<context>
    <name>PatrolDispatch</name>
    <message>
        <location filename="../../console/patrol/dispatch.py" line="68"/>
        <source>problem found in online patrol</source>
        <translation>网络巡查发现问题</translation>
    </message>
</context>
<context>
    <name>PatrolPanel</name>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="86"/>
        <source>Plan</source>
        <translation>计划</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="88"/>
        <source>New…</source>
        <translation>新建…</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="89"/>
        <source>Create a patrol plan</source>
        <translation>新建巡查计划</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="91"/>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="92"/>
        <source>Change the selected plan</source>
        <translation>修改所选计划</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="109"/>
        <source>Business</source>
        <translation>单位</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="109"/>
        <source>Looks</source>
        <translation>巡查次数</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="110"/>
        <source>Last look</source>
        <translation>上次巡查</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="110"/>
        <source>Due</source>
        <translation>应巡查</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="119"/>
        <source>Most overdue first. Double-click a business to look at it now.</source>
        <translation>超期最久的排在最前。双击单位立即查看。</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="125"/>
        <source>Start patrol</source>
        <translation>开始巡查</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="127"/>
        <source>Stop patrol</source>
        <translation>结束巡查</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="133"/>
        <source>Looking at</source>
        <translation>正在查看</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="148"/>
        <source>What did you see? Required when you report a problem.</source>
        <translation>看到了什么？报告问题时必填。</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="153"/>
        <source>Dispatch an inspection task for the problem</source>
        <translation>就该问题派发检查任务</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="156"/>
        <source>Compliant</source>
        <translation>合规</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="157"/>
        <source>Nothing wrong seen (Ctrl+1)</source>
        <translation>未发现问题（Ctrl+1）</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="162"/>
        <source>Problem found</source>
        <translation>发现问题</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="163"/>
        <source>Report what you saw, with a snapshot (Ctrl+2)</source>
        <translation>报告所见问题，附截图（Ctrl+2）</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="168"/>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="169"/>
        <source>Go to the next business without a verdict (the skip is recorded)</source>
        <translation>不作结论，转到下一家（跳过会留痕）</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="210"/>
        <source>%1 — %2 of %3</source>
        <translation>%1 — %2 / %3</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="219"/>
        <source>No patrol plans in your scope yet.</source>
        <translation>您的范围内还没有巡查计划。</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="233"/>
        <source>Every business %1 times in %2 days (one look every %3)</source>
        <translation>每家单位 %2 天内巡查 %1 次（每 %3 一次）</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="238"/>
        <source>%1 of %2 businesses</source>
        <translation>%1 / %2 家单位</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="241"/>
        <source>Patrolled %1 of %2 businesses this period · %3 of %4 looks · %5 overdue</source>
        <translation>本周期已巡查 %1 / %2 家单位 · %3 / %4 次 · %5 家超期</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="262"/>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="264"/>
        <source>now</source>
        <translation>现在</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="266"/>
        <source>%1 overdue</source>
        <translation>超期 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="307"/>
        <source>No patrol in progress</source>
        <translation>当前没有进行中的巡查</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="312"/>
        <source>Business %1 of %2</source>
        <translation>第 %1 / %2 家</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="315"/>
        <source>%1 cameras on the wall</source>
        <translation>%1 路摄像头已上墙</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="316"/>
        <source>This business has no cameras: judge by its records or skip it.</source>
        <translation>该单位没有摄像头：请依据其记录判断或跳过。</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="332"/>
        <source>Watching %1</source>
        <translation>已查看 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_panel.py" line="365"/>
        <source>Describe the problem before recording it: the note is the evidence next to the snapshot.</source>
        <translation>记录前请描述问题：说明与截图共同构成证据。</translation>
    </message>
</context>
<context>
    <name>PatrolPlanDialog</name>
    <message>
        <location filename="../../widgets/patrol_plan_dialog.py" line="57"/>
        <source>Change patrol plan</source>
        <translation>修改巡查计划</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_plan_dialog.py" line="57"/>
        <source>New patrol plan</source>
        <translation>新建巡查计划</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_plan_dialog.py" line="65"/>
        <source>e.g. School canteens, monthly</source>
        <translation>例如：学校食堂月度巡查</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_plan_dialog.py" line="66"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_plan_dialog.py" line="70"/>
        <source>Whole city</source>
        <translation>全市</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_plan_dialog.py" line="79"/>
        <source>District</source>
        <translation>辖区</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_plan_dialog.py" line="83"/>
        <source>Tick streets to narrow the plan; none ticked means every street</source>
        <translation>勾选街道以缩小范围；不勾选即为全部街道</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_plan_dialog.py" line="86"/>
        <source>Streets</source>
        <translation>街道</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_plan_dialog.py" line="90"/>
        <source>Tick categories to narrow the plan; none ticked means every category</source>
        <translation>勾选业态以缩小范围；不勾选即为全部业态</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_plan_dialog.py" line="101"/>
        <source>Categories</source>
        <translation>业态</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_plan_dialog.py" line="109"/>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_plan_dialog.py" line="112"/>
        <source>Looks per business</source>
        <translation>每家巡查次数</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_plan_dialog.py" line="113"/>
        <source>In a period of</source>
        <translation>周期</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_plan_dialog.py" line="160"/>
        <source>Give the plan a name.</source>
        <translation>请为计划命名。</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_plan_dialog.py" line="162"/>
        <source>There is no district you may plan patrols in.</source>
        <translation>没有您可以制定巡查计划的辖区。</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_plan_dialog.py" line="216"/>
        <source>Matches %1 businesses: %2 looks per period</source>
        <translation>匹配 %1 家单位：每周期 %2 次巡查</translation>
    </message>
    <message>
        <location filename="../../widgets/patrol_plan_dialog.py" line="219"/>
        <source>(limited to %1 chosen businesses)</source>
        <translation>（限定为所选的 %1 家单位）</translation>
    </message>
</context>
<context>
    <name>PatrolSnapshots</name>
    <message>
        <location filename="../../console/patrol/snapshots.py" line="56"/>
        <source>the business has no camera on the wall</source>
        <translation>该单位没有摄像头在墙上</translation>
    </message>
</context>
<context>
    <name>PlaybackMenu</name>
    <message>
        <location filename="../../console/playback/menu.py" line="26"/>
        <location filename="../../console/playback/menu.py" line="55"/>
        <location filename="../../console/playback/menu.py" line="60"/>
        <source>Playback…</source>
        <translation>回放…</translation>
    </message>
    <message>
        <location filename="../../console/playback/menu.py" line="29"/>
        <source>Playback of the business&apos;s cameras…</source>
        <translation>回放该单位的摄像机…</translation>
    </message>
    <message>
        <location filename="../../console/playback/menu.py" line="34"/>
        <source>Record now</source>
        <translation>立即录像</translation>
    </message>
    <message>
        <location filename="../../console/playback/menu.py" line="36"/>
        <source>Stop recording</source>
        <translation>停止录像</translation>
    </message>
</context>
<context>
    <name>PlaybackWindow</name>
    <message>
        <location filename="../../console/playback/window.py" line="95"/>
        <source>Playback</source>
        <translation>回放</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="112"/>
        <location filename="../../console/playback/window.py" line="233"/>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="133"/>
        <source>Slower</source>
        <translation>慢放</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="133"/>
        <source>Play slower (down to 0.5×)</source>
        <translation>放慢播放（最慢 0.5×）</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="135"/>
        <location filename="../../console/playback/window.py" line="298"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="135"/>
        <source>Pause or resume</source>
        <translation>暂停或继续</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="137"/>
        <source>Faster</source>
        <translation>快放</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="137"/>
        <source>Play faster (up to 16×)</source>
        <translation>加快播放（最快 16×）</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="139"/>
        <source>Frame step</source>
        <translation>单帧</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="139"/>
        <source>Pause and show the next frame</source>
        <translation>暂停并显示下一帧</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="144"/>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="144"/>
        <source>Show less of the day, in more detail</source>
        <translation>缩小时间范围，显示更多细节</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="146"/>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="146"/>
        <source>Show more of the day</source>
        <translation>显示更长的时间范围</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="149"/>
        <source>Mark start</source>
        <translation>标记起点</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="149"/>
        <source>The exported clip starts here</source>
        <translation>导出片段从此处开始</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="151"/>
        <source>Mark end</source>
        <translation>标记终点</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="151"/>
        <source>The exported clip ends here</source>
        <translation>导出片段到此处结束</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="153"/>
        <source>Export clip…</source>
        <translation>导出片段…</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="154"/>
        <source>Save the clip between the marks as MP4 with a watermark</source>
        <translation>将两个标记之间的片段保存为带水印的 MP4</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="216"/>
        <location filename="../../console/playback/window.py" line="224"/>
        <location filename="../../console/playback/window.py" line="270"/>
        <source>No recording</source>
        <translation>无录像</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="228"/>
        <source>Cannot play: %1</source>
        <translation>无法播放：%1</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="255"/>
        <source>End of the recordings of this day</source>
        <translation>当天录像已播放完毕</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="298"/>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="324"/>
        <source>Clip: %1 – %2</source>
        <translation>片段：%1 – %2</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="333"/>
        <location filename="../../console/playback/window.py" line="340"/>
        <location filename="../../console/playback/window.py" line="364"/>
        <source>Export clip</source>
        <translation>导出片段</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="334"/>
        <source>Mark the start and then the end of the clip first (the end after the start).</source>
        <translation>请先标记片段的起点和终点（终点须晚于起点）。</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="341"/>
        <source>MP4 video (*.mp4)</source>
        <translation>MP4 视频 (*.mp4)</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="353"/>
        <source>There is no recording of %1 between %2 and %3.</source>
        <translation>%1 在 %2 至 %3 之间没有录像。</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="362"/>
        <source>Exporting %1…</source>
        <translation>正在导出 %1…</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="363"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="374"/>
        <source>Export cancelled; nothing was saved.</source>
        <translation>导出已取消，未保存任何文件。</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="402"/>
        <source>Saved %1, but central&apos;s audit could not be told: %2</source>
        <translation>已保存 %1，但未能写入中心审计：%2</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="405"/>
        <source>Saved %1 (SHA-256 %2)</source>
        <translation>已保存 %1（SHA-256 %2）</translation>
    </message>
    <message>
        <location filename="../../console/playback/window.py" line="411"/>
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
</context>
<context>
    <name>ProgressDialog</name>
    <message>
        <location filename="../../console/registry/progress.py" line="42"/>
        <location filename="../../console/registry/progress.py" line="173"/>
        <source>Onboarding progress</source>
        <translation>接入进度</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="63"/>
        <source>Districts and streets</source>
        <translation>区县和街道</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="64"/>
        <location filename="../../console/registry/progress.py" line="184"/>
        <source>No working camera yet</source>
        <translation>尚无可用摄像头</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="68"/>
        <source>A camera counts as ever online once a wall or the media platform has reported it online or playing; a business is connected when one of its cameras was ever online.</source>
        <translation>摄像头只要被电视墙或视频平台上报过“在线”或“播放中”即计为“曾在线”；经营主体有一路摄像头曾在线即计为“已接入”。</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="72"/>
        <source>Double-click a target to change it.</source>
        <translation>双击目标数可修改。</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="75"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="77"/>
        <source>Export to Excel…</source>
        <translation>导出为 Excel…</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="79"/>
        <source>Export to CSV…</source>
        <translation>导出为 CSV…</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="81"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="97"/>
        <location filename="../../console/registry/progress.py" line="103"/>
        <source>District</source>
        <translation>区县</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="97"/>
        <location filename="../../console/registry/progress.py" line="104"/>
        <source>Street / township</source>
        <translation>街道/乡镇</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="97"/>
        <source>Target</source>
        <translation>目标数</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="98"/>
        <source>Businesses</source>
        <translation>经营主体数</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="98"/>
        <source>With a camera</source>
        <translation>有摄像头</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="98"/>
        <location filename="../../console/registry/progress.py" line="104"/>
        <source>Cameras</source>
        <translation>摄像头数</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="99"/>
        <source>Ever online</source>
        <translation>曾在线</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="99"/>
        <source>Online now</source>
        <translation>当前在线</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="99"/>
        <source>Connected</source>
        <translation>已接入</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="100"/>
        <source>Share of target</source>
        <translation>目标完成率</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="103"/>
        <source>Business id</source>
        <translation>主体编号</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="103"/>
        <source>Business</source>
        <translation>经营主体</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="105"/>
        <source>Responsible official</source>
        <translation>包保责任人</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="105"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="124"/>
        <source>(whole district)</source>
        <translation>（全区）</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="125"/>
        <source>(no street)</source>
        <translation>（未划街道）</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="147"/>
        <source>%1 businesses have no working camera yet.</source>
        <translation>%1 家经营主体尚无可用摄像头。</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="158"/>
        <source>A target is a whole number of businesses.</source>
        <translation>目标数须为整数（家）。</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="169"/>
        <source>Target saved; it is sent to the server.</source>
        <translation>目标已保存，正在发送到服务器。</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="175"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="183"/>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location filename="../../console/registry/progress.py" line="188"/>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
</context>
<context>
    <name>RecordDialog</name>
    <message>
        <location filename="../../console/registry/dialogs.py" line="247"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="252"/>
        <source>Retire…</source>
        <translation>停用…</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="254"/>
        <source>Take this row out of the registry; its alarms, tasks and audit entries stay.</source>
        <translation>将此记录移出档案；它的告警、任务和审计记录保留。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="372"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="387"/>
        <source>Changed by someone else meanwhile: the row has been reloaded (your input is kept). Check it and save again.</source>
        <translation>此期间已被他人修改：已重新载入该记录（您的输入已保留）。请检查后再次保存。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="404"/>
        <source>This code is already registered: %1</source>
        <translation>该编码已被登记：%1</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="408"/>
        <source>Correct it and save again.</source>
        <translation>请更正后再次保存。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="410"/>
        <source>Not retired: %1</source>
        <translation>未停用：%1</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="413"/>
        <source>The server refused the change: %1</source>
        <translation>服务器拒绝了此修改：%1</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="429"/>
        <source>Retire “%1” from the registry? Its alarms, tasks and audit entries stay.</source>
        <translation>确定将“%1”移出档案吗？它的告警、任务和审计记录保留。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="432"/>
        <location filename="../../console/registry/dialogs.py" line="436"/>
        <source>Retire</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="452"/>
        <source>Retiring…</source>
        <translation>正在停用…</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="461"/>
        <source>Not retired: someone else changed it meanwhile. The row has been reloaded; check it and retire again.</source>
        <translation>未停用：此期间已被他人修改。已重新加载该记录，请核对后再次停用。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="467"/>
        <source>Queued; it is retired when the server is reachable.</source>
        <translation>已排队；服务器可连接时即停用。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="393"/>
        <source>Saved here; it will be sent when the server is reachable.</source>
        <translation>已在本机保存，服务器可连接时将自动发送。</translation>
    </message>
</context>
<context>
    <name>RegistryUi</name>
    <message>
        <location filename="../../console/registry/menu.py" line="76"/>
        <source>&amp;Registry</source>
        <translation>登记管理(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../console/registry/menu.py" line="80"/>
        <source>New district…</source>
        <translation>新建区县…</translation>
    </message>
    <message>
        <location filename="../../console/registry/menu.py" line="81"/>
        <source>New business…</source>
        <translation>新建经营主体…</translation>
    </message>
    <message>
        <location filename="../../console/registry/menu.py" line="82"/>
        <source>New street / township…</source>
        <translation>新建街道/乡镇…</translation>
    </message>
    <message>
        <location filename="../../console/registry/menu.py" line="84"/>
        <source>New community…</source>
        <translation>新建社区/网格…</translation>
    </message>
    <message>
        <location filename="../../console/registry/menu.py" line="86"/>
        <source>Onboarding progress…</source>
        <translation>接入进度…</translation>
    </message>
    <message>
        <location filename="../../console/registry/menu.py" line="99"/>
        <location filename="../../console/registry/menu.py" line="156"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location filename="../../console/registry/menu.py" line="203"/>
        <source>Edit business…</source>
        <translation>编辑经营主体…</translation>
    </message>
    <message>
        <location filename="../../console/registry/menu.py" line="205"/>
        <source>Add camera…</source>
        <translation>添加摄像头…</translation>
    </message>
    <message>
        <location filename="../../console/registry/menu.py" line="207"/>
        <source>Add sensor…</source>
        <translation>添加传感器…</translation>
    </message>
    <message>
        <location filename="../../console/registry/menu.py" line="209"/>
        <source>Sensors…</source>
        <translation>传感器…</translation>
    </message>
    <message>
        <location filename="../../console/registry/menu.py" line="213"/>
        <source>Edit street / township…</source>
        <translation>编辑街道/乡镇…</translation>
    </message>
    <message>
        <location filename="../../console/registry/menu.py" line="214"/>
        <source>Edit community…</source>
        <translation>编辑社区/网格…</translation>
    </message>
    <message>
        <location filename="../../console/registry/menu.py" line="219"/>
        <source>Edit camera…</source>
        <translation>编辑摄像头…</translation>
    </message>
</context>
<context>
    <name>RegistryWords</name>
    <message>
        <location filename="../../console/registry/dialogs.py" line="66"/>
        <source>A value is required.</source>
        <translation>必填。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="67"/>
        <source>Too long.</source>
        <translation>太长。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="68"/>
        <source>A unified social credit code has 18 characters, this has %1.</source>
        <translation>统一社会信用代码为 18 位，此处为 %1 位。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="70"/>
        <source>Only digits and the capitals of GB 32100 are allowed (not %1).</source>
        <translation>只能包含数字和 GB 32100 规定的大写字母（不能有 %1）。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="72"/>
        <source>The check character is wrong (expected %1): likely a typo.</source>
        <translation>校验位不正确（应为 %1），可能输错了。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="74"/>
        <source>A food business licence number is JY and 14 digits.</source>
        <translation>食品经营许可证编号为 JY 加 14 位数字。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="75"/>
        <source>A GB/T 28181 code has 20 digits, this has %1.</source>
        <translation>GB/T 28181 编码为 20 位数字，此处为 %1 位。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="76"/>
        <source>A GB/T 28181 code has digits only.</source>
        <translation>GB/T 28181 编码只能是数字。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="77"/>
        <source>Not a mobile (11 digits) or landline number with area code.</source>
        <translation>不是手机号（11 位）或带区号的固定电话。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="78"/>
        <source>A stream address starts with rtsp://, rtmp://, http(s):// or srt://.</source>
        <translation>视频流地址应以 rtsp://、rtmp://、http(s):// 或 srt:// 开头。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="80"/>
        <source>The address names no host.</source>
        <translation>地址中没有主机名。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="81"/>
        <source>The address has an unusable port.</source>
        <translation>地址中的端口不可用。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="82"/>
        <source>The address contains spaces.</source>
        <translation>地址中含有空格。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="83"/>
        <source>Not a number of degrees.</source>
        <translation>不是有效的度数。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="84"/>
        <source>A latitude lies between -90 and 90.</source>
        <translation>纬度应在 -90 到 90 之间。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="85"/>
        <source>A longitude lies between -180 and 180.</source>
        <translation>经度应在 -180 到 180 之间。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="86"/>
        <source>Latitude and longitude look swapped.</source>
        <translation>经纬度似乎填反了。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="87"/>
        <source>Give both latitude and longitude, or neither.</source>
        <translation>经度和纬度要么都填，要么都不填。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="88"/>
        <source>Not a date (use 2027-03-01, 2027/3/1 or 2027年3月1日).</source>
        <translation>不是日期（请用 2027-03-01、2027/3/1 或 2027年3月1日）。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="89"/>
        <source>Not a number.</source>
        <translation>不是数字。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="90"/>
        <source>Outside %1 to %2 %3.</source>
        <translation>超出 %1 至 %2 %3 的范围。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="106"/>
        <source>it still has %1 streets / townships</source>
        <translation>下面仍有 %1 个街道/乡镇</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="107"/>
        <source>it still has %1 communities</source>
        <translation>下面仍有 %1 个社区</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="108"/>
        <source>it still has %1 businesses</source>
        <translation>下面仍有 %1 个经营主体</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="109"/>
        <source>; retire or move them first.</source>
        <translation>；请先停用或迁移它们。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="113"/>
        <source>it has %1 open alarms; close or dismiss them first.</source>
        <translation>仍有 %1 条未办结告警；请先关闭或忽略它们。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="116"/>
        <source>it has %1 open alarms and %2 open tasks; close or dismiss them first.</source>
        <translation>仍有 %1 条未办结告警和 %2 项未办结任务；请先关闭或忽略它们。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="123"/>
        <source>Extra-large restaurant</source>
        <translation>特大型餐馆</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="124"/>
        <source>Large restaurant</source>
        <translation>大型餐馆</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="125"/>
        <source>Medium restaurant</source>
        <translation>中型餐馆</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="126"/>
        <source>Small restaurant</source>
        <translation>小型餐馆</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="127"/>
        <source>Beverage shop</source>
        <translation>饮品店</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="128"/>
        <source>School canteen</source>
        <translation>学校食堂</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="129"/>
        <source>Elderly canteen</source>
        <translation>养老机构食堂</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="130"/>
        <source>Hospital canteen</source>
        <translation>医院食堂</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="131"/>
        <source>Government canteen</source>
        <translation>机关食堂</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="135"/>
        <source>Special room (temperature, humidity)</source>
        <translation>专间（温度、湿度）</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="136"/>
        <source>Disinfection cabinet</source>
        <translation>消毒柜</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="137"/>
        <source>Refrigerator</source>
        <translation>冷藏柜</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="138"/>
        <source>Freezer</source>
        <translation>冷冻柜</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="141"/>
        <source>Upper temperature limit</source>
        <translation>温度上限</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="142"/>
        <source>Lower temperature limit</source>
        <translation>温度下限</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="143"/>
        <source>Upper humidity limit</source>
        <translation>湿度上限</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="144"/>
        <source>Time over the limit before an alarm</source>
        <translation>超限多久后报警</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="145"/>
        <source>Degrees beyond the limit for a critical alarm</source>
        <translation>超出限值多少度为严重报警</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="146"/>
        <source>Disinfection temperature</source>
        <translation>消毒温度</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="147"/>
        <source>Holding time</source>
        <translation>保持时间</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="148"/>
        <source>Temperature that starts a cycle</source>
        <translation>开始消毒周期的温度</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="149"/>
        <source>Longest gap in the data within a cycle</source>
        <translation>周期内数据最长间断</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="150"/>
        <source>Cycle must end this long before a meal</source>
        <translation>须在开餐前多久完成消毒</translation>
    </message>
</context>
<context>
    <name>RejectedActionsDialog</name>
    <message>
        <location filename="../../console/shell/outbox_dialog.py" line="75"/>
        <source>Actions refused by the server</source>
        <translation>被服务器拒绝的操作</translation>
    </message>
    <message>
        <location filename="../../console/shell/outbox_dialog.py" line="85"/>
        <source>The server refused these actions; they were not applied and the local data shows the server&apos;s state again. Dismiss them once read.</source>
        <translation>服务器拒绝了以下操作：这些操作未生效，本地数据已恢复为服务器上的状态。阅读后请清除。</translation>
    </message>
    <message>
        <location filename="../../console/shell/outbox_dialog.py" line="92"/>
        <source>Recorded</source>
        <translation>记录时间</translation>
    </message>
    <message>
        <location filename="../../console/shell/outbox_dialog.py" line="92"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../console/shell/outbox_dialog.py" line="92"/>
        <source>Subject</source>
        <translation>对象</translation>
    </message>
    <message>
        <location filename="../../console/shell/outbox_dialog.py" line="93"/>
        <source>Server&apos;s reason</source>
        <translation>服务器给出的原因</translation>
    </message>
    <message>
        <location filename="../../console/shell/outbox_dialog.py" line="98"/>
        <source>Dismiss selected</source>
        <translation>清除所选</translation>
    </message>
    <message>
        <location filename="../../console/shell/outbox_dialog.py" line="99"/>
        <source>Dismiss all</source>
        <translation>全部清除</translation>
    </message>
    <message>
        <location filename="../../console/shell/outbox_dialog.py" line="127"/>
        <source>%1 action(s) recorded by %2 are kept on this computer; they will be sent when %2 logs in again, never under another user&apos;s name.</source>
        <translation>%2 记录的 %1 条操作保留在本机；将在 %2 重新登录后发送，绝不会以其他用户的名义发送。</translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="272"/>
        <source>Reset the password of %1</source>
        <translation>重置 %1 的密码</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="273"/>
        <source>Generate a temporary password (shown once)</source>
        <translation>生成临时密码（只显示一次）</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="275"/>
        <source>Type a temporary password</source>
        <translation>手动输入临时密码</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="279"/>
        <source>%1 is logged out everywhere and must choose a new password at the next login.</source>
        <translation>%1 将在所有设备上退出登录，下次登录时须设置新密码。</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="299"/>
        <source>Choose an acceptable password.</source>
        <translation>请设置符合要求的密码。</translation>
    </message>
</context>
<context>
    <name>Risk</name>
    <message>
        <location filename="../../widgets/risk_view.py" line="34"/>
        <source>category: %1</source>
        <translation>业态：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/risk_view.py" line="35"/>
        <source>%1 open tasks</source>
        <translation>%1 项未办结任务</translation>
    </message>
    <message>
        <location filename="../../widgets/risk_view.py" line="36"/>
        <source>%1 overdue tasks</source>
        <translation>%1 项逾期任务</translation>
    </message>
    <message>
        <location filename="../../widgets/risk_view.py" line="37"/>
        <source>%1 alarms in 30 days</source>
        <translation>30 天内预警 %1 次</translation>
    </message>
    <message>
        <location filename="../../widgets/risk_view.py" line="38"/>
        <source>on the black list</source>
        <translation>列入黑榜</translation>
    </message>
    <message>
        <location filename="../../widgets/risk_view.py" line="39"/>
        <source>on the red list</source>
        <translation>列入红榜</translation>
    </message>
    <message>
        <location filename="../../widgets/risk_view.py" line="40"/>
        <source>licence expired %1 days ago</source>
        <translation>许可证已过期 %1 天</translation>
    </message>
    <message>
        <location filename="../../widgets/risk_view.py" line="41"/>
        <source>licence expires in %1 days</source>
        <translation>许可证 %1 天后到期</translation>
    </message>
    <message>
        <location filename="../../widgets/risk_view.py" line="42"/>
        <source>%1 h with a covered or offline camera (30 days)</source>
        <translation>摄像头遮挡或离线 %1 小时（30 天内）</translation>
    </message>
    <message>
        <location filename="../../widgets/risk_view.py" line="45"/>
        <source>%1 (%2)</source>
        <translation>%1 分（%2）</translation>
    </message>
    <message>
        <location filename="../../widgets/risk_view.py" line="46"/>
        <source>high</source>
        <translation>高风险</translation>
    </message>
    <message>
        <location filename="../../widgets/risk_view.py" line="47"/>
        <source>medium</source>
        <translation>中风险</translation>
    </message>
    <message>
        <location filename="../../widgets/risk_view.py" line="48"/>
        <source>low</source>
        <translation>低风险</translation>
    </message>
</context>
<context>
    <name>RiskPlanDialog</name>
    <message>
        <location filename="../../widgets/risk_view.py" line="114"/>
        <source>Business</source>
        <translation>经营主体</translation>
    </message>
    <message>
        <location filename="../../widgets/risk_view.py" line="114"/>
        <source>Risk</source>
        <translation>风险分</translation>
    </message>
    <message>
        <location filename="../../widgets/risk_view.py" line="114"/>
        <source>Looks required</source>
        <translation>应巡次数</translation>
    </message>
    <message>
        <location filename="../../widgets/risk_view.py" line="115"/>
        <source>Looks done</source>
        <translation>已巡次数</translation>
    </message>
    <message>
        <location filename="../../widgets/risk_view.py" line="115"/>
        <source>Due by today</source>
        <translation>截至今日应巡</translation>
    </message>
    <message>
        <location filename="../../widgets/risk_view.py" line="115"/>
        <source>Still to plan</source>
        <translation>尚需巡查</translation>
    </message>
    <message>
        <location filename="../../widgets/risk_view.py" line="127"/>
        <source>Patrol plan by risk</source>
        <translation>按风险的巡查计划</translation>
    </message>
    <message>
        <location filename="../../widgets/risk_view.py" line="130"/>
        <source>The plan could not be loaded: %1</source>
        <translation>无法加载巡查计划：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/risk_view.py" line="135"/>
        <source>Patrol plan by risk — %1</source>
        <translation>按风险的巡查计划 — %1</translation>
    </message>
    <message>
        <location filename="../../widgets/risk_view.py" line="138"/>
        <source>%1 businesses, %2 behind schedule; %3 online looks still to do this month. Businesses behind schedule come first, then the highest risk.</source>
        <translation>共 %1 家经营主体，%2 家进度落后；本月尚需网络巡查 %3 次。进度落后的排在最前，其次按风险从高到低。</translation>
    </message>
    <message>
        <location filename="../../widgets/risk_view.py" line="147"/>
        <source>reception kitchen</source>
        <translation>接待厨房</translation>
    </message>
    <message>
        <location filename="../../widgets/risk_view.py" line="160"/>
        <source>Behind schedule</source>
        <translation>进度落后</translation>
    </message>
</context>
<context>
    <name>RiskService</name>
    <message>
        <location filename="../../console/risk/service.py" line="98"/>
        <source>Patrol plan by risk…</source>
        <translation>按风险的巡查计划…</translation>
    </message>
</context>
<context>
    <name>RoleUi</name>
    <message>
        <location filename="../../console/shell/role_ui.py" line="103"/>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../console/shell/role_ui.py" line="105"/>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../console/shell/role_ui.py" line="110"/>
        <source>&amp;Bulletins…</source>
        <translation>督查通报(&amp;B)…</translation>
    </message>
    <message>
        <location filename="../../console/shell/role_ui.py" line="115"/>
        <source>Open log folder</source>
        <translation>打开日志文件夹</translation>
    </message>
    <message>
        <location filename="../../console/shell/role_ui.py" line="121"/>
        <source>&amp;Administration</source>
        <translation>管理(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../console/shell/role_ui.py" line="123"/>
        <source>&amp;Accounts…</source>
        <translation>账号(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Users…</source>
        <translation type="vanished">用户(&amp;U)…</translation>
    </message>
    <message>
        <location filename="../../console/shell/role_ui.py" line="128"/>
        <source>&amp;Rule parameters…</source>
        <translation>规则参数(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../console/shell/role_ui.py" line="146"/>
        <source>Settings saved. These take effect when Kitchen Watch starts again: %1</source>
        <translation>设置已保存。以下设置将在 Kitchen Watch 重新启动后生效：%1</translation>
    </message>
</context>
<context>
    <name>RoomGauge</name>
    <message>
        <location filename="../../widgets/gauges.py" line="509"/>
        <source>%1 °C, limit %2, %3 (at %4)</source>
        <translation>%1 °C，限值 %2，%3（读数时间 %4）</translation>
    </message>
</context>
<context>
    <name>RuleParametersDialog</name>
    <message>
        <location filename="../../console/admin/dialogs.py" line="57"/>
        <source>Alarm rule parameters</source>
        <translation>预警规则参数</translation>
    </message>
    <message>
        <location filename="../../console/admin/dialogs.py" line="60"/>
        <source>Filter by business, location, kind or sensor</source>
        <translation>按商户、位置、类型或传感器筛选</translation>
    </message>
    <message>
        <location filename="../../console/admin/dialogs.py" line="62"/>
        <source>Business</source>
        <translation>商户</translation>
    </message>
    <message>
        <location filename="../../console/admin/dialogs.py" line="62"/>
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../../console/admin/dialogs.py" line="62"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../console/admin/dialogs.py" line="63"/>
        <source>Sensor</source>
        <translation>传感器</translation>
    </message>
    <message>
        <location filename="../../console/admin/dialogs.py" line="63"/>
        <source>Rule state</source>
        <translation>规则状态</translation>
    </message>
    <message>
        <location filename="../../console/admin/dialogs.py" line="64"/>
        <source>Parameters set on this sensor</source>
        <translation>本传感器单独设置的参数</translation>
    </message>
    <message>
        <location filename="../../console/admin/dialogs.py" line="65"/>
        <source>Reading the local data…</source>
        <translation>正在读取本地数据…</translation>
    </message>
    <message>
        <location filename="../../console/admin/dialogs.py" line="66"/>
        <source>Parameters not listed use the server&apos;s defaults for the sensor kind. They are changed with the sensor.params action.</source>
        <translation>未列出的参数使用服务器对该类传感器的默认值。参数通过 sensor.params 操作修改。</translation>
    </message>
    <message>
        <location filename="../../console/admin/dialogs.py" line="98"/>
        <source>(server defaults)</source>
        <translation>（服务器默认值）</translation>
    </message>
    <message>
        <location filename="../../console/admin/dialogs.py" line="102"/>
        <source>%1 sensors, %2 with parameters of their own</source>
        <translation>共 %1 个传感器，其中 %2 个单独设置了参数</translation>
    </message>
</context>
<context>
    <name>SensorDialog</name>
    <message>
        <location filename="../../console/registry/dialogs.py" line="679"/>
        <source>Sensor of %1</source>
        <translation>%1 的传感器</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="682"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="683"/>
        <source>Place</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="684"/>
        <source>Camera of the same room</source>
        <translation>同一房间的摄像头</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="685"/>
        <source>Reporting interval (s)</source>
        <translation>上报间隔（秒）</translation>
    </message>
</context>
<context>
    <name>SensorHistoryPanel</name>
    <message>
        <location filename="../../widgets/business_detail.py" line="180"/>
        <source>target %1 °C</source>
        <translation>目标 %1 °C</translation>
    </message>
    <message>
        <location filename="../../widgets/business_detail.py" line="216"/>
        <source>No readings in this period.</source>
        <translation>此时段没有读数。</translation>
    </message>
</context>
<context>
    <name>SensorListDialog</name>
    <message>
        <location filename="../../console/registry/sensor_list.py" line="48"/>
        <source>Sensors of %1</source>
        <translation>%1 的传感器</translation>
    </message>
    <message>
        <location filename="../../console/registry/sensor_list.py" line="59"/>
        <source>This business has no sensors yet.</source>
        <translation>该经营主体还没有传感器。</translation>
    </message>
    <message>
        <location filename="../../console/registry/sensor_list.py" line="62"/>
        <source>Edit or retire…</source>
        <translation>编辑或停用…</translation>
    </message>
    <message>
        <location filename="../../console/registry/sensor_list.py" line="66"/>
        <source>Add sensor…</source>
        <translation>添加传感器…</translation>
    </message>
</context>
<context>
    <name>SensorTrendChart</name>
    <message>
        <location filename="../../widgets/trend.py" line="112"/>
        <source>24 h</source>
        <translation>24 小时</translation>
    </message>
    <message>
        <location filename="../../widgets/trend.py" line="113"/>
        <source>7 d</source>
        <translation>7 天</translation>
    </message>
    <message>
        <location filename="../../widgets/trend.py" line="280"/>
        <source>last 24 h</source>
        <translation>最近 24 小时</translation>
    </message>
    <message>
        <location filename="../../widgets/trend.py" line="280"/>
        <source>last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <location filename="../../console/settings/model.py" line="76"/>
        <source>server URL must be text</source>
        <translation>服务器地址必须是文本</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="82"/>
        <source>server URL must start with http:// or https://</source>
        <translation>服务器地址必须以 http:// 或 https:// 开头</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="86"/>
        <source>server URL has no host name: %1</source>
        <translation>服务器地址缺少主机名：%1</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="89"/>
        <source>server URL must not contain a user name or password; the login dialog asks for them</source>
        <translation>服务器地址中不能包含用户名或密码，登录时会另行输入</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="95"/>
        <source>server URL has an invalid port: %1</source>
        <translation>服务器地址的端口无效：%1</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="98"/>
        <source>server URL must not have a query or fragment (?… or #…)</source>
        <translation>服务器地址不能包含查询参数或片段（?… 或 #…）</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="107"/>
        <source>must be true or false, not %1</source>
        <translation>必须为 true 或 false，不能是 %1</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="124"/>
        <source>data directory must be a path</source>
        <translation>数据目录必须是路径</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="131"/>
        <source>data directory must be an absolute path, not %1</source>
        <translation>数据目录必须是绝对路径，不能是 %1</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="135"/>
        <source>data directory %1 is not a directory</source>
        <translation>数据目录 %1 不是目录</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="140"/>
        <source>data directory %1 is not writable: %2</source>
        <translation>数据目录 %1 不可写：%2</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="148"/>
        <source>data directory %1 cannot be created: %2 is not a directory</source>
        <translation>无法创建数据目录 %1：%2 不是目录</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="152"/>
        <source>data directory %1 is not writable: %2 does not let this user create it</source>
        <translation>数据目录 %1 不可写：当前用户无权在 %2 中创建该目录</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="161"/>
        <source>protocol order must be a comma-separated list, e.g. rtsp,http-flv,hls</source>
        <translation>协议顺序必须是以逗号分隔的列表，例如 rtsp,http-flv,hls</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="169"/>
        <source>unknown stream protocol %1 (known: %2)</source>
        <translation>未知的流协议 %1（支持：%2）</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="173"/>
        <source>stream protocol %1 is listed twice</source>
        <translation>流协议 %1 重复列出</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="177"/>
        <source>list at least one stream protocol</source>
        <translation>请至少列出一种流协议</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="187"/>
        <source>network caching must be a number of milliseconds</source>
        <translation>网络缓存必须是毫秒数</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="192"/>
        <source>network caching must be a number of milliseconds or one of low, balanced, smooth, not %1</source>
        <translation>网络缓存必须是毫秒数，或 low、balanced、smooth 之一，不能是 %1</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="196"/>
        <source>network caching must be between %1 and %2 ms, not %3</source>
        <translation>网络缓存必须在 %1 到 %2 毫秒之间，不能是 %3</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="205"/>
        <source>popup severity must be a whole number from %1 (info) to %2 (critical), not %3</source>
        <translation>弹窗级别必须是 %1（提示）到 %2（紧急）之间的整数，不能是 %3</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="215"/>
        <source>a tour page must stay between %1 and %2 s, not %3</source>
        <translation>轮巡每页停留时间须在 %1 到 %2 秒之间，而不是 %3</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="223"/>
        <source>language must be one of %1, not %2</source>
        <translation>语言必须是 %1 之一，不能是 %2</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="232"/>
        <source>screens must be a list of screen numbers, e.g. 0,1</source>
        <translation>屏幕必须是屏幕编号列表，例如 0,1</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="243"/>
        <source>screen %1 is not a number (0 is the first screen)</source>
        <translation>屏幕 %1 不是数字（0 表示第一块屏幕）</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="247"/>
        <source>screen numbers start at 0, not %1</source>
        <translation>屏幕编号从 0 开始，不能是 %1</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="250"/>
        <source>screen %1 is listed twice</source>
        <translation>屏幕 %1 重复列出</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="254"/>
        <source>at most %1 screens</source>
        <translation>最多 %1 块屏幕</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="261"/>
        <source>office-PC profile must be auto, on or off, not %1</source>
        <translation>办公电脑模式必须是 auto、on 或 off，不能是 %1</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="270"/>
        <source>the local cache must keep history between %1 and %2 days, not %3</source>
        <translation>本地缓存保留历史记录的天数须在 %1 到 %2 天之间，不能是 %3</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="283"/>
        <source>the boundary file must be a path</source>
        <translation>边界文件应为文件路径</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="316"/>
        <source>there is no such setting</source>
        <translation>没有此设置项</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="451"/>
        <source>cannot read the settings file %1: %2; using the defaults</source>
        <translation>无法读取设置文件 %1：%2；将使用默认设置</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="457"/>
        <source>the settings file %1 is not valid JSON (line %2: %3); using the defaults</source>
        <translation>设置文件 %1 不是有效的 JSON（第 %2 行：%3）；将使用默认设置</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="462"/>
        <source>the settings file %1 does not hold a JSON object; using the defaults</source>
        <translation>设置文件 %1 的内容不是 JSON 对象；将使用默认设置</translation>
    </message>
    <message>
        <location filename="../../console/settings/model.py" line="466"/>
        <source>setting %1 in %2 was ignored: %3</source>
        <translation>已忽略 %2 中的设置项 %1：%3</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../console/settings/dialog.py" line="58"/>
        <source>Kitchen Watch — settings</source>
        <translation>Kitchen Watch — 设置</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="67"/>
        <source>ask at login (the last address is remembered)</source>
        <translation>登录时输入（会记住上次的地址）</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="69"/>
        <source>Check the server&apos;s HTTPS certificate</source>
        <translation>校验服务器的 HTTPS 证书</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="71"/>
        <source>Turn off only for a test server with a self-signed certificate: without the check, anyone on the network path can read the login.</source>
        <translation>仅在连接使用自签名证书的测试服务器时关闭：不校验证书时，网络路径上的任何人都能读取登录信息。</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="74"/>
        <source>Central server (applies at the next login)</source>
        <translation>中心服务器（下次登录时生效）</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="75"/>
        <location filename="../../console/settings/dialog.py" line="351"/>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="81"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="88"/>
        <source>Local data and logs (applies at the next start)</source>
        <translation>本地数据和日志（下次启动时生效）</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="89"/>
        <location filename="../../console/settings/dialog.py" line="261"/>
        <location filename="../../console/settings/dialog.py" line="353"/>
        <source>Data directory</source>
        <translation>数据目录</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="95"/>
        <source>Known protocols: %1</source>
        <translation>支持的协议：%1</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="98"/>
        <source>Lowest latency (%1 ms)</source>
        <translation>最低延迟（%1 毫秒）</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="100"/>
        <source>Balanced (%1 ms)</source>
        <translation>均衡（%1 毫秒）</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="102"/>
        <source>Smoothest (%1 ms)</source>
        <translation>最流畅（%1 毫秒）</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="104"/>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="123"/>
        <source>demo city (鄂尔多斯)</source>
        <translation>演示城市（鄂尔多斯）</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="125"/>
        <source>A GeoJSON file of your districts&apos; boundaries; each feature&apos;s name property is the district&apos;s name as the registry spells it</source>
        <translation>本辖区各区县边界的 GeoJSON 文件；每个要素的 name 属性须与登记的区县名称一致</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="128"/>
        <source>Video</source>
        <translation>视频</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="129"/>
        <location filename="../../console/settings/dialog.py" line="354"/>
        <source>Preferred protocols</source>
        <translation>优先协议</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="130"/>
        <location filename="../../console/settings/dialog.py" line="355"/>
        <source>Latency or smoothness</source>
        <translation>延迟与流畅度</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="131"/>
        <location filename="../../console/settings/dialog.py" line="358"/>
        <source>Tour: each page stays</source>
        <translation>轮巡每页停留</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="132"/>
        <location filename="../../console/settings/dialog.py" line="359"/>
        <source>Map boundaries (GeoJSON)</source>
        <translation>地图边界（GeoJSON）</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="136"/>
        <location filename="../../console/settings/dialog.py" line="356"/>
        <source>Play alarm sounds</source>
        <translation>播放预警提示音</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="139"/>
        <source>every alarm (info and above)</source>
        <translation>所有预警（提示及以上）</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="140"/>
        <source>minor and above</source>
        <translation>一般及以上</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="141"/>
        <source>major and critical</source>
        <translation>严重和紧急</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="142"/>
        <source>critical only</source>
        <translation>仅紧急</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="145"/>
        <source>Alarms</source>
        <translation>预警</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="147"/>
        <location filename="../../console/settings/dialog.py" line="357"/>
        <source>Pop up the alarm panel for</source>
        <translation>弹出预警面板</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="155"/>
        <source>e.g. 0,1 — empty: the screen the window opens on</source>
        <translation>例如 0,1 — 留空：使用窗口所在的屏幕</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="159"/>
        <source>by role (district staff)</source>
        <translation>按角色（区局工作人员启用）</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="160"/>
        <source>always (fewer tiles, sub streams)</source>
        <translation>始终启用（较少画面，子码流）</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="161"/>
        <source>never</source>
        <translation>从不启用</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="163"/>
        <source>Interface (applies at the next start)</source>
        <translation>界面（下次启动时生效）</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="164"/>
        <location filename="../../console/settings/dialog.py" line="360"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="165"/>
        <location filename="../../console/settings/dialog.py" line="361"/>
        <source>Screens for the wall</source>
        <translation>视频墙屏幕</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="166"/>
        <location filename="../../console/settings/dialog.py" line="362"/>
        <source>Office-PC profile</source>
        <translation>办公电脑模式</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="191"/>
        <source>Saved in %1</source>
        <translation>保存于 %1</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="229"/>
        <source>Set by %1 on the command line for this run; not saved.</source>
        <translation>本次运行由命令行参数 %1 设定，不会保存。</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="242"/>
        <source>Screens on this computer: %1</source>
        <translation>本机屏幕：%1</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="318"/>
        <source>The settings could not be saved to %1: %2</source>
        <translation>无法将设置保存到 %1：%2</translation>
    </message>
    <message>
        <location filename="../../console/settings/dialog.py" line="352"/>
        <source>HTTPS certificate check</source>
        <translation>HTTPS 证书校验</translation>
    </message>
</context>
<context>
    <name>ShownOnceDialog</name>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="312"/>
        <source>Temporary password</source>
        <translation>临时密码</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="313"/>
        <source>The temporary password of %1 is shown only now. Pass it on in person or by telephone; %1 must change it at the first login.</source>
        <translation>%1 的临时密码只在此显示一次。请当面或电话告知；%1 首次登录时须修改。</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="324"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
</context>
<context>
    <name>StatisticsView</name>
    <message>
        <location filename="../../console/dashboard/statistics.py" line="31"/>
        <source>Statistics</source>
        <translation>统计</translation>
    </message>
</context>
<context>
    <name>StatusPanel</name>
    <message>
        <location filename="../../console/shell/status_bar.py" line="44"/>
        <source>● Connecting…</source>
        <translation>● 连接中…</translation>
    </message>
    <message>
        <location filename="../../console/shell/status_bar.py" line="73"/>
        <source>● Online: %1</source>
        <translation>● 在线：%1</translation>
    </message>
    <message>
        <location filename="../../console/shell/status_bar.py" line="75"/>
        <source>● Offline since %1, working on the local cache</source>
        <translation>● 自 %1 起离线，正在使用本地缓存</translation>
    </message>
    <message>
        <location filename="../../console/shell/status_bar.py" line="79"/>
        <source>● Login expired since %1</source>
        <translation>● 登录已于 %1 失效</translation>
    </message>
    <message>
        <location filename="../../console/shell/status_bar.py" line="82"/>
        <source>● Reconnecting…</source>
        <translation>● 重连中…</translation>
    </message>
    <message>
        <location filename="../../console/shell/status_bar.py" line="84"/>
        <source>● Connecting to %1…</source>
        <translation>● 正在连接 %1…</translation>
    </message>
    <message>
        <location filename="../../console/shell/status_bar.py" line="99"/>
        <source>Syncing %1</source>
        <translation>正在同步 %1</translation>
    </message>
    <message>
        <location filename="../../console/shell/status_bar.py" line="106"/>
        <source>%1 actions waiting to send</source>
        <translation>%1 项操作待发送</translation>
    </message>
    <message>
        <location filename="../../console/shell/status_bar.py" line="109"/>
        <source>%1 refused by the server</source>
        <translation>%1 项被服务器拒绝</translation>
    </message>
</context>
<context>
    <name>StreamReason</name>
    <message>
        <location filename="../../videowall/reason_text.py" line="19"/>
        <source>picture unchanged for %1 s</source>
        <translation>画面 %1 秒未变化</translation>
    </message>
    <message>
        <location filename="../../videowall/reason_text.py" line="21"/>
        <source>picture is black: lens covered or camera dark</source>
        <translation>画面全黑：镜头被遮挡或摄像头无光</translation>
    </message>
    <message>
        <location filename="../../videowall/reason_text.py" line="23"/>
        <source>connection refused by %1</source>
        <translation>%1 拒绝连接</translation>
    </message>
    <message>
        <location filename="../../videowall/reason_text.py" line="24"/>
        <source>connection refused</source>
        <translation>连接被拒绝</translation>
    </message>
    <message>
        <location filename="../../videowall/reason_text.py" line="26"/>
        <source>host name %1 not found (DNS)</source>
        <translation>找不到主机名 %1（DNS）</translation>
    </message>
    <message>
        <location filename="../../videowall/reason_text.py" line="28"/>
        <source>no answer from %1 (timed out)</source>
        <translation>%1 无应答（超时）</translation>
    </message>
    <message>
        <location filename="../../videowall/reason_text.py" line="30"/>
        <source>network unreachable for %1</source>
        <translation>到 %1 的网络不可达</translation>
    </message>
    <message>
        <location filename="../../videowall/reason_text.py" line="32"/>
        <source>connection reset by %1</source>
        <translation>连接被 %1 重置</translation>
    </message>
    <message>
        <location filename="../../videowall/reason_text.py" line="34"/>
        <source>the source ended the stream</source>
        <translation>信号源结束了视频流</translation>
    </message>
    <message>
        <location filename="../../videowall/reason_text.py" line="36"/>
        <source>the decode worker exited unexpectedly</source>
        <translation>解码进程意外退出</translation>
    </message>
    <message>
        <location filename="../../videowall/reason_text.py" line="38"/>
        <source>the decode worker stopped answering</source>
        <translation>解码进程无响应</translation>
    </message>
    <message>
        <location filename="../../videowall/reason_text.py" line="40"/>
        <source>the stream could not be opened</source>
        <translation>无法打开视频流</translation>
    </message>
    <message>
        <location filename="../../videowall/reason_text.py" line="42"/>
        <source>the server refused the stream</source>
        <translation>服务器拒绝了视频流</translation>
    </message>
    <message>
        <location filename="../../videowall/reason_text.py" line="44"/>
        <source>this camera has no stream address</source>
        <translation>该摄像头没有视频流地址</translation>
    </message>
    <message>
        <location filename="../../videowall/reason_text.py" line="46"/>
        <source>the stream address is malformed</source>
        <translation>视频流地址格式错误</translation>
    </message>
    <message>
        <location filename="../../videowall/reason_text.py" line="48"/>
        <source>no picture within %1 s</source>
        <translation>%1 秒内无画面</translation>
    </message>
    <message>
        <location filename="../../videowall/reason_text.py" line="50"/>
        <source>no new picture for %1 s (stalled)</source>
        <translation>%1 秒无新画面（卡顿）</translation>
    </message>
    <message>
        <location filename="../../videowall/reason_text.py" line="51"/>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
</context>
<context>
    <name>StreetDialog</name>
    <message>
        <location filename="../../console/registry/dialogs.py" line="505"/>
        <source>Street / township</source>
        <translation>街道/乡镇</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="508"/>
        <source>Only a street with no communities or businesses left is retired.</source>
        <translation>只有下面已没有社区和经营主体的街道才能停用。</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="511"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../console/registry/dialogs.py" line="512"/>
        <source>District</source>
        <translation>区县</translation>
    </message>
</context>
<context>
    <name>TaskBoard</name>
    <message>
        <location filename="../../widgets/task_board.py" line="103"/>
        <source>Overdue %1</source>
        <translation>已超期 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="104"/>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="113"/>
        <location filename="../../widgets/task_board.py" line="669"/>
        <source>Supervised</source>
        <translation>挂牌督办</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="116"/>
        <source>Deadline</source>
        <translation>期限</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="121"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="126"/>
        <source>Escalation</source>
        <translation>督办</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="130"/>
        <source>Business</source>
        <translation>商户</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="133"/>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="136"/>
        <source>Assignee</source>
        <translation>承办人</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="139"/>
        <source>District</source>
        <translation>辖区</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="142"/>
        <source>Age</source>
        <translation>历时</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="446"/>
        <source>Any age</source>
        <translation>不限创建时间</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="447"/>
        <source>Created in the last 24 h</source>
        <translation>24 小时内创建</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="448"/>
        <source>Older than 1 day</source>
        <translation>超过 1 天</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="449"/>
        <source>Older than 3 days</source>
        <translation>超过 3 天</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="450"/>
        <source>Older than 7 days</source>
        <translation>超过 7 天</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="492"/>
        <source>Search business or task…</source>
        <translation>搜索商户或任务…</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="500"/>
        <source>Hide closed</source>
        <translation>隐藏已销号</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="501"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="564"/>
        <source>All districts</source>
        <translation>全部辖区</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="569"/>
        <source>All assignees</source>
        <translation>全部承办人</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="666"/>
        <source>Overdue</source>
        <translation>超期</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="708"/>
        <source>Export tasks</source>
        <translation>导出任务</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="709"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="715"/>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
</context>
<context>
    <name>TaskCentre</name>
    <message>
        <location filename="../../console/tasks/centre.py" line="61"/>
        <source>Inspection tasks</source>
        <extracomment>Timeline photos are kept at most this size (twice the thumbnail, for sharp HiDPI).</extracomment>
        <translation>核查任务</translation>
    </message>
</context>
<context>
    <name>TaskDetail</name>
    <message>
        <location filename="../../widgets/task_board.py" line="257"/>
        <location filename="../../widgets/task_board.py" line="385"/>
        <source>No task selected</source>
        <translation>未选择任务</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="264"/>
        <source>Supervised</source>
        <translation>挂牌督办</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="279"/>
        <source>Close (tick off)</source>
        <translation>销号</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="280"/>
        <source>Close by online look</source>
        <translation>远程复查销号</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="281"/>
        <source>Reject…</source>
        <translation>驳回…</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="282"/>
        <source>Reopen…</source>
        <translation>重新打开…</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="283"/>
        <source>Escalate…</source>
        <translation>升级督办…</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="286"/>
        <source>A minor AI violation put right: close without a visit once someone has looked at its camera online at least 30 minutes after the alarm (central checks the look)</source>
        <translation>轻微 AI 违规已整改：预警 30 分钟后有人远程查看过该摄像头，即可不经现场核查直接销号（由中心核验查看记录）</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="292"/>
        <source>Evidence pack (PDF)…</source>
        <translation>证据包（PDF）…</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="299"/>
        <source>Timeline</source>
        <translation>处置记录</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="353"/>
        <source>Reject rectification</source>
        <translation>驳回整改</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="354"/>
        <source>Send the task back for rectification. What is still wrong?</source>
        <translation>将任务退回重新整改。还有哪些问题？</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="356"/>
        <source>Reopen task</source>
        <translation>重新打开任务</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="357"/>
        <source>Why does this task need to be reopened?</source>
        <translation>为什么需要重新打开此任务？</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="358"/>
        <source>Escalate task (supervised case)</source>
        <translation>任务升级督办（挂牌督办）</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="359"/>
        <source>Name the official who will supervise this case (挂牌督办):</source>
        <translation>请填写挂牌督办此案件的负责人：</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="361"/>
        <source>Close task</source>
        <translation>任务销号</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="361"/>
        <source>Closing note</source>
        <translation>销号说明</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="397"/>
        <source>Supervised by %1</source>
        <translation>督办人：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="400"/>
        <source>Deadline %1</source>
        <translation>期限 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="402"/>
        <source>overdue by %1</source>
        <translation>已超期 %1</translation>
    </message>
</context>
<context>
    <name>TileWidget</name>
    <message>
        <location filename="../../videowall/tile.py" line="420"/>
        <source>Drop a camera here</source>
        <translation>拖入摄像头</translation>
    </message>
    <message>
        <location filename="../../videowall/tile.py" line="428"/>
        <source>main</source>
        <translation>主码流</translation>
    </message>
    <message>
        <location filename="../../videowall/tile.py" line="430"/>
        <source>key frames only</source>
        <translation>仅关键帧</translation>
    </message>
    <message>
        <location filename="../../videowall/tile.py" line="465"/>
        <source>next try in %1 s</source>
        <translation>%1 秒后重试</translation>
    </message>
    <message>
        <location filename="../../videowall/tile.py" line="467"/>
        <location filename="../../videowall/tile.py" line="481"/>
        <source>Connecting…</source>
        <translation>连接中…</translation>
    </message>
    <message>
        <location filename="../../videowall/tile.py" line="469"/>
        <source>Reconnecting (attempt %1)</source>
        <translation>重连中（第 %1 次）</translation>
    </message>
    <message>
        <location filename="../../videowall/tile.py" line="474"/>
        <source>Offline: %1</source>
        <translation>离线：%1</translation>
    </message>
    <message>
        <location filename="../../videowall/tile.py" line="477"/>
        <source>Frozen picture: %1</source>
        <translation>画面冻结：%1</translation>
    </message>
    <message>
        <location filename="../../videowall/tile.py" line="479"/>
        <source>Black picture: lens covered or camera dark</source>
        <translation>黑屏：镜头被遮挡或画面过暗</translation>
    </message>
</context>
<context>
    <name>TourControl</name>
    <message>
        <location filename="../../console/walls/tours.py" line="94"/>
        <source>&amp;Tour</source>
        <extracomment>Business id → risk score (console/risk fetches them from central&apos;s GET /api/risk). Set by console/risk when the session can read scores; None hides &quot;by risk&quot;.</extracomment>
        <translation>轮巡(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../console/walls/tours.py" line="97"/>
        <source>Tour every camera</source>
        <translation>轮巡全部摄像头</translation>
    </message>
    <message>
        <location filename="../../console/walls/tours.py" line="98"/>
        <source>Tour every camera, highest risk first</source>
        <translation>轮巡全部摄像头（风险高者优先）</translation>
    </message>
    <message>
        <location filename="../../console/walls/tours.py" line="101"/>
        <source>Tour the selection in the tree</source>
        <translation>轮巡通道树中选中的节点</translation>
    </message>
    <message>
        <location filename="../../console/walls/tours.py" line="104"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../console/walls/tours.py" line="109"/>
        <source>Previous page</source>
        <translation>上一页</translation>
    </message>
    <message>
        <location filename="../../console/walls/tours.py" line="111"/>
        <source>Next page</source>
        <translation>下一页</translation>
    </message>
    <message>
        <location filename="../../console/walls/tours.py" line="113"/>
        <source>Stop the tour</source>
        <translation>停止轮巡</translation>
    </message>
    <message>
        <location filename="../../console/walls/tours.py" line="115"/>
        <source>Unpin all tiles</source>
        <translation>取消全部固定画面</translation>
    </message>
    <message>
        <location filename="../../console/walls/tours.py" line="119"/>
        <source>Keep this tile during tours</source>
        <translation>轮巡时固定此画面</translation>
    </message>
    <message>
        <location filename="../../console/walls/tours.py" line="130"/>
        <source>Tour these %1 cameras</source>
        <translation>轮巡这 %1 个摄像头</translation>
    </message>
    <message>
        <location filename="../../console/walls/tours.py" line="137"/>
        <source>every camera</source>
        <translation>全部摄像头</translation>
    </message>
    <message>
        <location filename="../../console/walls/tours.py" line="156"/>
        <source>Risk scores are unavailable (no connection to central?)</source>
        <translation>无法获取风险评分（未连接中心？）</translation>
    </message>
    <message>
        <location filename="../../console/walls/tours.py" line="159"/>
        <source>every camera by risk</source>
        <translation>全部摄像头（按风险）</translation>
    </message>
    <message>
        <location filename="../../console/walls/tours.py" line="166"/>
        <source>Select a district, street or business in the tree first</source>
        <translation>请先在通道树中选择辖区、街道或商户</translation>
    </message>
    <message>
        <location filename="../../console/walls/tours.py" line="186"/>
        <source>Every tile is kept: unpin one to tour</source>
        <translation>所有画面都已固定：请取消固定至少一个画面再轮巡</translation>
    </message>
    <message>
        <location filename="../../console/walls/tours.py" line="299"/>
        <source>Tour %1: page %2 of %3, %4 s each</source>
        <translation>轮巡 %1：第 %2/%3 页，每页 %4 秒</translation>
    </message>
    <message>
        <location filename="../../console/walls/tours.py" line="303"/>
        <source>paused for an alarm (F9 resumes)</source>
        <translation>因预警暂停（按 F9 继续）</translation>
    </message>
    <message>
        <location filename="../../console/walls/tours.py" line="305"/>
        <source>paused (F9 resumes)</source>
        <translation>已暂停（按 F9 继续）</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="133"/>
        <source>New account</source>
        <translation>新建账号</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="134"/>
        <source>Edit account %1</source>
        <translation>编辑账号 %1</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="140"/>
        <source>e.g. 13800000000 (field staff are called)</source>
        <translation>如 13800000000（用于联系网格员等外勤人员）</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="150"/>
        <source>(city-wide)</source>
        <translation>（全市）</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="160"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="161"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="162"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="163"/>
        <source>District</source>
        <translation>区县</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="164"/>
        <source>Street</source>
        <translation>街道/乡镇</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="165"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="171"/>
        <source>Generate a temporary password (shown once)</source>
        <translation>生成临时密码（只显示一次）</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="173"/>
        <source>Type a temporary password</source>
        <translation>手动输入临时密码</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="181"/>
        <source>The user must choose their own password at the first login.</source>
        <translation>该用户首次登录时须设置自己的密码。</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="216"/>
        <source>(whole district)</source>
        <translation>（全区县）</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="239"/>
        <source>User name: at least 2 letters, digits or . _ - @.</source>
        <translation>用户名：至少 2 个字母、数字或 . _ - @。</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="241"/>
        <source>This user name is taken.</source>
        <translation>该用户名已被占用。</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="243"/>
        <source>District and field staff need a district.</source>
        <translation>区县人员和网格员必须选择区县。</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="245"/>
        <source>You administer accounts of your own district only.</source>
        <translation>您只能管理本区县的账号。</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="247"/>
        <source>Phone: digits, spaces and + ( ) - only.</source>
        <translation>电话：只能包含数字、空格和 + ( ) -。</translation>
    </message>
    <message>
        <location filename="../../console/accounts/dialogs.py" line="250"/>
        <source>Choose an acceptable password.</source>
        <translation>请设置符合要求的密码。</translation>
    </message>
</context>
<context>
    <name>UsersDialog</name>
    <message>
        <source>Users</source>
        <translation type="vanished">用户</translation>
    </message>
    <message>
        <source>User name</source>
        <translation type="vanished">用户名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="vanished">姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="vanished">角色</translation>
    </message>
    <message>
        <source>District</source>
        <translation type="vanished">辖区</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation type="vanished">电话</translation>
    </message>
    <message>
        <source>Loading the users from the server…</source>
        <translation type="vanished">正在从服务器加载用户…</translation>
    </message>
    <message>
        <source>Read-only: users are managed on the central server.</source>
        <translation type="vanished">只读：用户在中心服务器上管理。</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="vanished">刷新</translation>
    </message>
    <message>
        <source>The users could not be loaded: %1</source>
        <translation type="vanished">无法加载用户：%1</translation>
    </message>
    <message>
        <source>%1 active users</source>
        <translation type="vanished">共 %1 个有效用户</translation>
    </message>
</context>
<context>
    <name>VideoSlot</name>
    <message>
        <location filename="../../widgets/alarm_panel.py" line="63"/>
        <source>Live video not available</source>
        <translation>实时视频不可用</translation>
    </message>
</context>
<context>
    <name>VideoWall</name>
    <message>
        <location filename="../../videowall/wall.py" line="312"/>
        <source>Restore</source>
        <translation>还原</translation>
    </message>
    <message>
        <location filename="../../videowall/wall.py" line="314"/>
        <source>Maximise (main stream)</source>
        <translation>最大化（主码流）</translation>
    </message>
    <message>
        <location filename="../../videowall/wall.py" line="315"/>
        <source>Reconnect</source>
        <translation>重连</translation>
    </message>
    <message>
        <location filename="../../videowall/wall.py" line="316"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>VisitDialog</name>
    <message>
        <location filename="../../console/baobao/visit.py" line="45"/>
        <source>包保 visit: %1</source>
        <translation>包保检查：%1</translation>
    </message>
    <message>
        <location filename="../../console/baobao/visit.py" line="49"/>
        <source>On site</source>
        <translation>现场检查</translation>
    </message>
    <message>
        <location filename="../../console/baobao/visit.py" line="50"/>
        <source>Online</source>
        <translation>网络检查</translation>
    </message>
    <message>
        <location filename="../../console/baobao/visit.py" line="51"/>
        <source>Mode</source>
        <translation>方式</translation>
    </message>
    <message>
        <location filename="../../console/baobao/visit.py" line="52"/>
        <source>Checklist</source>
        <translation>检查表</translation>
    </message>
    <message>
        <location filename="../../console/baobao/visit.py" line="53"/>
        <source>%1, version %2</source>
        <translation>%1，版本 %2</translation>
    </message>
    <message>
        <location filename="../../console/baobao/visit.py" line="58"/>
        <source>Item</source>
        <translation>检查项</translation>
    </message>
    <message>
        <location filename="../../console/baobao/visit.py" line="58"/>
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <location filename="../../console/baobao/visit.py" line="59"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../console/baobao/visit.py" line="80"/>
        <source>What you saw (optional)</source>
        <translation>检查情况（选填）</translation>
    </message>
    <message>
        <location filename="../../console/baobao/visit.py" line="102"/>
        <source>Verdict: problem found — %1 failed items, each becomes a task</source>
        <translation>结论：发现问题——%1 项不合格，每项将派发一个任务</translation>
    </message>
    <message>
        <location filename="../../console/baobao/visit.py" line="103"/>
        <source>Verdict: compliant</source>
        <translation>结论：合规</translation>
    </message>
</context>
<context>
    <name>WallWindow</name>
    <message>
        <location filename="../../videowall/wall.py" line="453"/>
        <source>Kitchen Watch — video wall</source>
        <translation>Kitchen Watch — 视频墙</translation>
    </message>
    <message>
        <location filename="../../videowall/wall.py" line="460"/>
        <source>Layout of this screen</source>
        <translation>本屏布局</translation>
    </message>
    <message>
        <location filename="../../videowall/wall.py" line="463"/>
        <source>1 tile</source>
        <translation>1 分屏</translation>
    </message>
    <message>
        <location filename="../../videowall/wall.py" line="464"/>
        <source>%1 tiles</source>
        <translation>%1 分屏</translation>
    </message>
    <message>
        <location filename="../../videowall/wall.py" line="468"/>
        <source>Full screen (F11)</source>
        <translation>全屏（F11）</translation>
    </message>
</context>
<context>
    <name>_EventCard</name>
    <message>
        <location filename="../../widgets/task_board.py" line="205"/>
        <source>Loading photo…</source>
        <translation>正在加载照片…</translation>
    </message>
    <message>
        <location filename="../../widgets/task_board.py" line="211"/>
        <source>Photo unavailable</source>
        <translation>照片不可用</translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <location filename="../../console/playback/opener.py" line="68"/>
        <source>Playback – %1</source>
        <translation>回放 – %1</translation>
    </message>
</context>
</TS>
