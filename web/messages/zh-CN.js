// Every Chinese string the web front end shows lives here, so that wording is reviewed in one
// place and the screens hold only structure. Keys for server vocabulary (roles, region levels,
// organization types, audit actions, problem slugs, validation codes) are the exact values the
// API uses (docs/api-contract.md); a value the server adds later and this file does not know
// yet is shown raw rather than hidden (see format.js).

export default {
  app: {
    name: '解纷',
    title: '一站式矛盾纠纷多元化解平台',
    documentTitle: '解纷 · 一站式矛盾纠纷多元化解平台',
    slogan: '小事不出村 · 大事不出镇 · 矛盾不上交',
    loading: '正在加载…',
  },

  roles: {
    admin: '系统管理员',
    clerk: '受理登记员',
    dispatcher: '引导分流员',
    mediator: '调解员',
    supervisor: '协调督办员',
    grid_worker: '网格员',
    leader: '包案领导',
    citizen: '群众',
  },

  // What each role does in the system, shown on the home screen (from shared/DOMAIN.md).
  roleDuties: {
    admin: '维护行政区划、组织机构、用户账号与规则配置',
    clerk: '一窗受理，登记各渠道来源的矛盾纠纷',
    dispatcher: '研判纠纷的管辖层级、责任单位与化解方式，引导分流',
    mediator: '开展调解，记录调解过程，达成或终结调解',
    supervisor: '跟踪办理时限，发出督办，审核非诉程序终结',
    grid_worker: '巡查走访，上报发现的矛盾纠纷和风险隐患',
    leader: '查看态势研判，包案化解重大矛盾纠纷',
  },

  regionLevels: {
    province: '省',
    city: '市',
    county: '县（区）',
    township: '乡镇（街道）',
    village: '村（社区）',
    grid: '网格',
  },

  orgTypes: {
    center: '矛调中心',
    mediation_committee: '人民调解委员会',
    studio: '调解工作室',
    department: '行政部门',
    court: '人民法院',
    procuratorate: '人民检察院',
    police: '公安机关',
    petition_bureau: '信访部门',
    legal_aid: '法律援助机构',
    arbitration: '仲裁机构',
    reconsideration: '行政复议机构',
    law_firm: '律师事务所',
  },

  orgStatus: {
    active: '正常',
    suspended: '已停用',
  },

  userActive: {
    true: '启用',
    false: '停用',
  },

  auditActions: {
    create: '新增',
    update: '修改',
    delete: '删除',
    read: '查看',
    login: '登录',
    login_failed: '登录失败',
    logout: '退出登录',
    revoke: '吊销',
    password: '修改密码',
  },

  objectTypes: {
    user: '用户',
    region: '行政区划',
    organization: '组织机构',
    token: '访问令牌',
  },

  // Problem slugs (the last part of `type` in application/problem+json).
  problems: {
    validation: '提交的内容有误，请按提示修改',
    'malformed-json': '请求格式错误',
    unauthorized: '登录已失效，请重新登录',
    forbidden: '您没有权限执行此操作',
    csrf: '页面会话已过期，请刷新页面后重试',
    'not-found': '对象不存在或不在您的管辖范围内',
    'method-not-allowed': '不支持的操作',
    conflict: '数据冲突，该记录可能已存在',
    'payload-too-large': '提交的内容过大',
    'unsupported-media-type': '不支持的内容格式',
    'rate-limited': '尝试次数过多，请稍后再试',
    internal: '服务器内部错误，请稍后再试',
    unavailable: '服务暂不可用，请稍后再试',
    network: '无法连接服务器，请检查网络',
    unknown: '操作失败，请稍后再试',
  },

  // Validation codes in a problem's errors[]; {max}/{min} are filled when the server sends them.
  validation: {
    required: '此项为必填项',
    type: '数据类型不正确',
    too_long: '内容过长',
    too_long_n: '不能超过 {max} 个字符',
    too_short: '内容过短',
    too_short_n: '不能少于 {min} 个字符',
    invalid: '格式或取值不正确',
    unknown: '不支持的字段',
    not_found: '所选对象不存在或不在您的管辖范围内',
  },

  // Field names as they appear in API bodies, for errors not shown next to a form field.
  fields: {
    login: '账号',
    name: '姓名',
    password: '密码',
    old_password: '原密码',
    phone: '手机号码',
    roles: '角色',
    org_id: '所属机构',
    active: '状态',
  },

  nav: {
    home: '工作台',
    intake: '纠纷登记',
    cases: '案件',
    warnings: '排查预警',
    stats: '统计分析',
    organizations: '组织机构',
    users: '用户管理',
    audit: '审计日志',
  },

  common: {
    search: '查询',
    reset: '重置',
    cancel: '取消',
    confirm: '确定',
    save: '保存',
    create: '新建',
    refresh: '刷新',
    all: '全部',
    none: '—',
    total: '共 {n} 条',
    fieldMessage: '{field}：{message}',
    listSep: '、',
    sentenceSep: '；',
    loadFailed: '加载失败：{msg}',
  },

  login: {
    heading: '用户登录',
    login: '账号',
    loginPlaceholder: '请输入账号',
    password: '密码',
    passwordPlaceholder: '请输入密码',
    submit: '登录',
    submitting: '正在登录…',
    wrong: '账号或密码错误',
    footer: '本系统仅供矛盾纠纷调处化解工作人员使用',
    features: [
      { title: '一窗受理', text: '来访、来电、网上申请、网格上报，统一登记、应立尽立' },
      { title: '分级化解', text: '属地管理、分级负责，调解优先、诉非衔接' },
      { title: '全程留痕', text: '受理、分流、调解、回访，每一步可查询、可追溯' },
    ],
  },

  layout: {
    changePassword: '修改密码',
    logout: '退出登录',
    loggedOut: '您已安全退出',
    sessionExpired: '登录已失效，请重新登录',
    org: '所属机构',
    region: '所属区划',
  },

  password: {
    title: '修改密码',
    old: '原密码',
    new: '新密码',
    repeat: '确认新密码',
    mismatch: '两次输入的新密码不一致',
    wrongOld: '原密码不正确',
    done: '密码已修改',
  },

  screens: {
    placeholder: {
      badge: '建设中',
      text: '“{name}”功能正在建设中，敬请期待。',
    },
    notFound: {
      title: '页面不存在',
      text: '您访问的页面不存在。',
      back: '返回工作台',
    },
    forbidden: {
      title: '无权访问',
      text: '您的角色无权访问此页面。',
    },
  },

  home: {
    morning: '上午好',
    noon: '中午好',
    afternoon: '下午好',
    evening: '晚上好',
    greeting: '{greet}，{name}',
    intro: '欢迎使用解纷平台。您当前登录的身份如下：',
    org: '所属机构',
    region: '所属区划',
    roles: '角色',
    login: '账号',
    duties: '岗位职责',
    shortcuts: '常用功能',
  },

  organizations: {
    title: '组织机构',
    subtitle: '辖区内的矛调中心、人民调解组织及对接单位',
    regions: '行政区划',
    regionHint: '点击区划查看其下属机构',
    allRegions: '全部辖区',
    q: '机构名称',
    qPlaceholder: '按名称搜索',
    type: '机构类型',
    cols: {
      name: '机构名称',
      type: '类型',
      region: '所属区划',
      address: '地址',
      phone: '联系电话',
      status: '状态',
    },
    empty: '暂无组织机构',
  },

  users: {
    title: '用户管理',
    subtitle: '管理辖区内工作人员的账号与角色',
    q: '关键字',
    qPlaceholder: '账号或姓名',
    role: '角色',
    create: '新建用户',
    created: '已创建用户“{name}”',
    cols: {
      login: '账号',
      name: '姓名',
      phone: '手机号码',
      roles: '角色',
      org: '所属机构',
      region: '所属区划',
      active: '状态',
      created: '创建时间',
    },
    form: {
      title: '新建用户',
      login: '账号',
      loginPlaceholder: '登录账号，如 cx_mediator2',
      name: '姓名',
      password: '初始密码',
      passwordPlaceholder: '请设置初始密码',
      phone: '手机号码',
      roles: '角色',
      rolesPlaceholder: '请选择角色（可多选）',
      org: '所属机构',
      orgPlaceholder: '请选择所属机构',
      duplicate: '该账号已存在',
      // Shown for code `invalid` on these fields; they describe the server's rule (docs/openapi.yaml).
      invalid: {
        login: '账号须为 2–32 位小写字母、数字或 _ . -，并以字母开头',
        phone: '请填写 11 位手机号码或固定电话号码',
      },
    },
    empty: '暂无用户',
  },

  audit: {
    title: '审计日志',
    subtitle: '系统中每一次登录、查看与修改的记录',
    action: '操作类型',
    objectType: '对象类型',
    range: '时间范围',
    rangeStart: '开始日期',
    rangeEnd: '结束日期',
    rangeTo: '至',
    cols: {
      at: '时间',
      actor: '操作人',
      ip: 'IP 地址',
      action: '操作',
      objectType: '对象类型',
      objectId: '对象编号',
      fields: '涉及字段',
      detail: '说明',
    },
    anonymous: '未登录用户',
    empty: '暂无审计记录',
  },
};
