// The interface in English and Chinese. The choice is kept in localStorage; stored texts (headwords,
// renderings, notes) are shown as stored whatever the interface language.
const STRINGS = {
  en: {
    'skip': 'Skip to content', 'loading': 'Loading…', 'nav': 'Main', 'cancel': 'Cancel', 'close': 'Close',
    'nav.search': 'Search', 'nav.check': 'Check a text', 'nav.concordance': 'Concordance',
    'nav.transfer': 'Import / export', 'nav.ops': 'Operators',
    'auth.signIn': 'Sign in', 'auth.signOut': 'Sign out', 'auth.title': 'Sign in with a token',
    'auth.help': 'Paste the token your administrator gave you. It is kept in this tab only.',
    'auth.token': 'Token', 'auth.signedIn': 'Signed in', 'auth.needed': 'Sign in with an editor token to edit.',
    'search.title': 'Search the glossary', 'search.label': 'Term, in Chinese or English',
    'search.submit': 'Search', 'search.collection': 'Collection', 'search.kind': 'Kind', 'search.all': 'All',
    'search.suggestions': 'Suggestions', 'search.exact': 'Matches', 'search.starting': 'Terms beginning with “{0}”',
    'search.none': 'No entry matches “{0}”.',
    'search.count': '{0} matching entries, {1} more beginning with “{2}”.', 'search.hint':
        'Type a term in either language and any script: 三種心態, 「六稳」, ＧＤＰ, stability on six fronts.',
    'status.RENDERING_STATUS_ESTABLISHED': 'established', 'status.RENDERING_STATUS_PROJECT': 'project',
    'status.RENDERING_STATUS_UNSPECIFIED': 'unspecified',
    'status.title.RENDERING_STATUS_ESTABLISHED': 'Published in an official English source',
    'status.title.RENDERING_STATUS_PROJECT': 'The project’s own rendering (see the note)',
    'term.preferred': 'preferred', 'term.admitted': 'admitted', 'term.deprecated': 'deprecated',
    'term.forbidden': 'forbidden', 'term.dnt': 'do not translate', 'term.caseSensitive': 'case-sensitive',
    'entry.variants': 'Chinese variants', 'entry.rendering': 'English rendering',
    'entry.enVariants': 'Admitted renderings', 'entry.enDeprecated': 'Deprecated renderings',
    'entry.enForbidden': 'Forbidden renderings', 'entry.otherRenderings': 'Other renderings',
    'entry.definitionZh': 'Definition (Chinese)', 'entry.definitionEn': 'Definition (English)',
    'entry.source': 'Published source', 'entry.note': 'Note', 'entry.collection': 'Collection',
    'entry.kind': 'Kind', 'entry.created': 'Created', 'entry.changed': 'Changed',
    'entry.copy': 'Copy', 'entry.copied': 'Copied “{0}”', 'entry.copyFailed': 'Could not copy: select and copy by hand',
    'entry.edit': 'Edit', 'entry.delete': 'Delete', 'entry.new': 'New entry', 'entry.id': 'Id',
    'entry.status': 'Rendering status', 'entry.outlet': 'Source outlet', 'entry.sourceTitle': 'Source title',
    'entry.url': 'Source URL', 'entry.date': 'Source date', 'entry.onePerLine': 'one per line',
    'entry.save': 'Save', 'entry.saved': 'Saved: {0}', 'entry.nothingChanged': 'Nothing changed.',
    'entry.deleteConfirm': 'Delete the entry “{0}” ({1})? This cannot be undone.',
    'entry.deleted': 'Deleted {0}.', 'entry.notFound': 'There is no entry with the id “{0}”.',
    'entry.permalink': 'Permanent link',
    'check.title': 'Check a text', 'check.source': 'Chinese text', 'check.target': 'English draft (optional)',
    'check.submit': 'Check', 'check.terms': 'Recognised terms: {0}', 'check.sentences': 'Sentences and TM matches',
    'check.noMatch': 'No TM match of 70 or more.', 'check.score': 'score {0}',
    'check.placeable': 'Figures carried over', 'check.notCarried': 'Figures not carried over: {0}',
    'check.yours': 'Your sentence', 'check.stored': 'Stored source', 'check.target.stored': 'Stored target', 'check.substituted': 'With your figures',
    'qa.title': 'Terminology check of the draft', 'qa.draft': 'English draft',
    'qa.count': 'Terminology check of the draft: {0} ({1}, {2})', 'qa.issues': '{0} issues',
    'qa.issues.one': '{0} issue', 'qa.errors': '{0} errors', 'qa.errors.one': '{0} error', 'qa.warnings': '{0} warnings',
    'qa.warnings.one': '{0} warning',
    'qa.clean': 'Terminology check of the draft: no issues',
    'qa.cleanHint': 'The draft uses the glossary’s renderings for every term of the text, and its figures.',
    'qa.notInDraft': 'Not in the draft:', 'qa.inSource': 'Chinese', 'qa.inDraft': 'Draft',
    'qa.nothing': 'nothing found', 'qa.expected': 'Use', 'qa.summary': '{0} · {1} ({2})', 'qa.use': ': use “{0}”',
    'qa.severity.error': 'error', 'qa.severity.warning': 'warning',
    'qa.kind.missing-rendering': 'missing rendering', 'qa.kind.deprecated-rendering': 'deprecated rendering',
    'qa.kind.forbidden-rendering': 'forbidden rendering',
    'qa.kind.do-not-translate-changed': 'do-not-translate term changed',
    'qa.kind.count-mismatch': 'rendered fewer times than in the source', 'qa.kind.untranslated': 'Chinese left untranslated',
    'qa.kind.figure-mismatch': 'figure missing or different', 'qa.kind.unspecified': 'issue',
    'conc.title': 'Concordance', 'conc.query': 'Phrase', 'conc.side': 'Search in', 'conc.both': 'Both sides',
    'conc.source': 'Chinese (source)', 'conc.target': 'English (target)', 'conc.submit': 'Search',
    'conc.hits': '{0} pairs', 'conc.previous': 'Previous segment', 'conc.next': 'Next segment',
    'conc.context': 'Show neighbours', 'conc.none': 'No pair contains “{0}”.',
    'transfer.title': 'Import and export', 'transfer.import': 'Import', 'transfer.into': 'Into',
    'transfer.glossary': 'Glossary (TBX, TSV, CSV)', 'transfer.tm': 'Translation memory (TMX, TSV)',
    'transfer.file': 'File', 'transfer.collection': 'Collection (optional)', 'transfer.dryRun': 'Check (dry run)',
    'transfer.commit': 'Import', 'transfer.progress': 'Upload', 'transfer.report': 'Report',
    'transfer.dryRunDone': 'Dry run: nothing was changed.', 'transfer.committed': 'Imported.',
    'transfer.failed': 'The import failed; nothing was changed.', 'transfer.created': 'created',
    'transfer.updated': 'updated', 'transfer.unchanged': 'unchanged', 'transfer.skipped': 'skipped',
    'transfer.format': 'format', 'transfer.issues': 'First skipped units', 'transfer.line': 'line {0}, column {1}',
    'transfer.export': 'Export', 'transfer.download': 'Download {0}', 'transfer.downloaded': 'Downloaded {0} bytes.',
    'ops.title': 'Operators', 'ops.version': 'Version', 'ops.uptime': 'Uptime', 'ops.terms': 'Terms',
    'ops.segments': 'Segments', 'ops.collections': 'Collections', 'ops.methods': 'Calls per method',
    'ops.method': 'Method', 'ops.calls': 'Calls', 'ops.errors': 'Errors', 'ops.p50': 'p50 (ms)', 'ops.p99': 'p99 (ms)',
    'ops.max': 'max (ms)', 'ops.name': 'Name', 'ops.schema': 'Schema version', 'ops.used': 'Store used',
    'ops.refresh': 'Refresh', 'ops.dataDir': 'Data directory',
    'error.prefix': 'Error', 'error.401': 'The server did not accept the token: {0}',
    'error.403': 'This token is not allowed to do that: {0}', 'error.network': 'The server could not be reached.',
  },
  zh: {
    'skip': '跳到正文', 'loading': '加载中…', 'nav': '主导航', 'cancel': '取消', 'close': '关闭',
    'nav.search': '查询', 'nav.check': '检查文本', 'nav.concordance': '语境检索',
    'nav.transfer': '导入/导出', 'nav.ops': '运维',
    'auth.signIn': '登录', 'auth.signOut': '退出', 'auth.title': '用令牌登录',
    'auth.help': '粘贴管理员给您的令牌。令牌只保存在本标签页中。',
    'auth.token': '令牌', 'auth.signedIn': '已登录', 'auth.needed': '编辑需要用编辑者令牌登录。',
    'search.title': '查询术语库', 'search.label': '术语（中文或英文）',
    'search.submit': '查询', 'search.collection': '集合', 'search.kind': '类别', 'search.all': '全部',
    'search.suggestions': '建议', 'search.exact': '匹配条目', 'search.starting': '以“{0}”开头的术语',
    'search.none': '没有与“{0}”匹配的条目。',
    'search.count': '{0} 个匹配条目，另有 {1} 个以“{2}”开头。', 'search.hint':
        '输入任一语言、任一字形的术语：三種心態、「六稳」、ＧＤＰ、stability on six fronts。',
    'status.RENDERING_STATUS_ESTABLISHED': '已发布', 'status.RENDERING_STATUS_PROJECT': '项目译法',
    'status.RENDERING_STATUS_UNSPECIFIED': '未指定',
    'status.title.RENDERING_STATUS_ESTABLISHED': '见于官方英文出版物',
    'status.title.RENDERING_STATUS_PROJECT': '本项目自拟译法（见备注）',
    'term.preferred': '首选', 'term.admitted': '许可', 'term.deprecated': '不推荐',
    'term.forbidden': '禁用', 'term.dnt': '不译', 'term.caseSensitive': '区分大小写',
    'entry.variants': '中文变体', 'entry.rendering': '英文译法',
    'entry.enVariants': '许可译法', 'entry.enDeprecated': '不推荐译法', 'entry.enForbidden': '禁用译法', 'entry.otherRenderings': '其他译法',
    'entry.definitionZh': '释义（中文）', 'entry.definitionEn': '释义（英文）',
    'entry.source': '出处', 'entry.note': '备注', 'entry.collection': '集合',
    'entry.kind': '类别', 'entry.created': '创建', 'entry.changed': '修改',
    'entry.copy': '复制', 'entry.copied': '已复制“{0}”', 'entry.copyFailed': '无法复制，请手动选择复制',
    'entry.edit': '编辑', 'entry.delete': '删除', 'entry.new': '新建条目', 'entry.id': '标识',
    'entry.status': '译法状态', 'entry.outlet': '出处媒体', 'entry.sourceTitle': '出处标题',
    'entry.url': '出处网址', 'entry.date': '出处日期', 'entry.onePerLine': '每行一个',
    'entry.save': '保存', 'entry.saved': '已保存：{0}', 'entry.nothingChanged': '没有修改。',
    'entry.deleteConfirm': '删除条目“{0}”（{1}）？此操作无法撤销。',
    'entry.deleted': '已删除 {0}。', 'entry.notFound': '没有标识为“{0}”的条目。',
    'entry.permalink': '永久链接',
    'check.title': '检查文本', 'check.source': '中文文本', 'check.target': '英文译稿（可选）',
    'check.submit': '检查', 'check.terms': '识别出的术语：{0}', 'check.sentences': '句子与翻译记忆匹配',
    'check.noMatch': '没有 70 分以上的翻译记忆匹配。', 'check.score': '{0} 分',
    'check.placeable': '数字已替换', 'check.notCarried': '未替换的数字：{0}',
    'check.yours': '您的句子', 'check.stored': '记忆原文', 'check.target.stored': '记忆译文', 'check.substituted': '替换数字后',
    'qa.title': '译稿术语检查', 'qa.draft': '英文译稿',
    'qa.count': '译稿术语检查：{0}（{1}，{2}）', 'qa.issues': '{0} 个问题', 'qa.errors': '{0} 个错误',
    'qa.warnings': '{0} 个警告',
    'qa.clean': '译稿术语检查：没有问题',
    'qa.cleanHint': '译稿中每个术语都使用了术语库的译法，数字也一致。',
    'qa.notInDraft': '译稿中缺少：', 'qa.inSource': '原文', 'qa.inDraft': '译稿',
    'qa.nothing': '未找到', 'qa.expected': '应使用', 'qa.summary': '{0} · {1}（{2}）', 'qa.use': '：应使用“{0}”',
    'qa.severity.error': '错误', 'qa.severity.warning': '警告',
    'qa.kind.missing-rendering': '缺少译法', 'qa.kind.deprecated-rendering': '使用了不推荐译法',
    'qa.kind.forbidden-rendering': '使用了禁用译法',
    'qa.kind.do-not-translate-changed': '不译术语被改动',
    'qa.kind.count-mismatch': '译文中出现次数少于原文', 'qa.kind.untranslated': '中文未翻译',
    'qa.kind.figure-mismatch': '数字缺失或不一致', 'qa.kind.unspecified': '问题',
    'conc.title': '语境检索', 'conc.query': '短语', 'conc.side': '检索范围', 'conc.both': '双语',
    'conc.source': '中文（原文）', 'conc.target': '英文（译文）', 'conc.submit': '检索',
    'conc.hits': '{0} 个句对', 'conc.previous': '上一句', 'conc.next': '下一句',
    'conc.context': '显示上下文', 'conc.none': '没有包含“{0}”的句对。',
    'transfer.title': '导入与导出', 'transfer.import': '导入', 'transfer.into': '导入到',
    'transfer.glossary': '术语库（TBX、TSV、CSV）', 'transfer.tm': '翻译记忆（TMX、TSV）',
    'transfer.file': '文件', 'transfer.collection': '集合（可选）', 'transfer.dryRun': '检查（试运行）',
    'transfer.commit': '导入', 'transfer.progress': '上传', 'transfer.report': '报告',
    'transfer.dryRunDone': '试运行：没有做任何修改。', 'transfer.committed': '已导入。',
    'transfer.failed': '导入失败，没有做任何修改。', 'transfer.created': '新建',
    'transfer.updated': '更新', 'transfer.unchanged': '未变', 'transfer.skipped': '跳过',
    'transfer.format': '格式', 'transfer.issues': '前几个跳过的单元', 'transfer.line': '第 {0} 行，第 {1} 列',
    'transfer.export': '导出', 'transfer.download': '下载 {0}', 'transfer.downloaded': '已下载 {0} 字节。',
    'ops.title': '运维', 'ops.version': '版本', 'ops.uptime': '运行时间', 'ops.terms': '术语',
    'ops.segments': '句对', 'ops.collections': '集合', 'ops.methods': '各方法调用',
    'ops.method': '方法', 'ops.calls': '调用', 'ops.errors': '错误', 'ops.p50': 'p50（毫秒）', 'ops.p99': 'p99（毫秒）',
    'ops.max': '最大（毫秒）', 'ops.name': '名称', 'ops.schema': '存储版本', 'ops.used': '已用存储',
    'ops.refresh': '刷新', 'ops.dataDir': '数据目录',
    'error.prefix': '错误', 'error.401': '服务器不接受此令牌：{0}',
    'error.403': '此令牌无权执行该操作：{0}', 'error.network': '无法连接服务器。',
  },
};

const KEY = 'heluo.lang';

export function lang() {
  const stored = localStorage.getItem(KEY);
  if (stored === 'en' || stored === 'zh') return stored;
  return (navigator.language || '').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function setLang(l) {
  localStorage.setItem(KEY, l);
}

// t('search.none', q): the string in the interface language, {0}, {1}… replaced by the arguments.
export function t(key, ...args) {
  const s = STRINGS[lang()][key] ?? STRINGS.en[key] ?? key;
  return s.replace(/\{(\d)\}/g, (_, i) => String(args[Number(i)] ?? ''));
}

// The static parts of index.html: elements with data-i18n (text) or data-i18n-label (aria-label).
export function translateStatic() {
  document.documentElement.lang = lang() === 'zh' ? 'zh-CN' : 'en';
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  const sw = document.getElementById('lang-switch');
  sw.textContent = lang() === 'zh' ? 'English' : '中文';
  sw.lang = lang() === 'zh' ? 'en' : 'zh-CN';
}
