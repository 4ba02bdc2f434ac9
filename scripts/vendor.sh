#!/usr/bin/env bash
# Copies the browser builds of the front end's npm dependencies into web/vendor.
set -euo pipefail
cd "$(dirname "$0")/.."
v=web/vendor
mkdir -p "$v"
nm=node_modules
cp -u "$nm/vue/dist/vue.esm-browser.prod.js" "$v/vue.js"
cp -u "$nm/element-plus/dist/index.full.min.mjs" "$v/element-plus.js"
cp -u "$nm/element-plus/dist/index.css" "$v/element-plus.css"
cp -u "$nm/element-plus/dist/locale/zh-cn.min.mjs" "$v/element-plus-zh-cn.js"
cp -u "$nm/@element-plus/icons-vue/dist/index.js" "$v/element-plus-icons.js"
# ECharts' self-contained ES-module build (charts drawn in the browser, no map tiles: offline).
cp -u "$nm/echarts/dist/echarts.esm.min.mjs" "$v/echarts.js"
