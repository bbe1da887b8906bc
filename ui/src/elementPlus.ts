// Element Plus as the pages use it: only the components they use, each registered globally (as
// `app.use(ElementPlus)` registered all of them), and only those components' styles (each with the
// styles of the components it is built from: a select's popper, tags, scrollbar, ...).
// The whole library and its whole stylesheet were parsed into every window for about a quarter of
// it in use: the entry chunk was 844 kB of JavaScript and 379 kB of CSS, now 258 kB and 144 kB;
// the desktop app's web process holds 7-9 MB less PSS at idle (scripts/bench-memory.sh (b)).
// A page that starts using another component adds it to COMPONENTS and its style below;
// elementPlus.spec.ts fails while a template names a component missing here.
import type { Plugin } from "vue";
import {
  ElAlert,
  ElAutocomplete,
  ElButton,
  ElCheckbox,
  ElCheckboxGroup,
  ElConfigProvider,
  ElDialog,
  ElDropdown,
  ElDropdownItem,
  ElDropdownMenu,
  ElForm,
  ElFormItem,
  ElIcon,
  ElInput,
  ElInputTag,
  ElLoading,
  ElOption,
  ElOptionGroup,
  ElPagination,
  ElPopover,
  ElRadio,
  ElRadioButton,
  ElRadioGroup,
  ElSelect,
  ElSkeleton,
  ElSkeletonItem,
  ElSwitch,
  ElTag,
  ElTooltip,
} from "element-plus";
import "element-plus/es/components/alert/style/css";
import "element-plus/es/components/autocomplete/style/css";
import "element-plus/es/components/button/style/css";
import "element-plus/es/components/checkbox/style/css";
import "element-plus/es/components/checkbox-group/style/css";
import "element-plus/es/components/config-provider/style/css";
import "element-plus/es/components/dialog/style/css";
import "element-plus/es/components/dropdown/style/css";
import "element-plus/es/components/dropdown-item/style/css";
import "element-plus/es/components/dropdown-menu/style/css";
import "element-plus/es/components/form/style/css";
import "element-plus/es/components/form-item/style/css";
import "element-plus/es/components/icon/style/css";
import "element-plus/es/components/input/style/css";
import "element-plus/es/components/input-tag/style/css";
import "element-plus/es/components/loading/style/css";
import "element-plus/es/components/option/style/css";
import "element-plus/es/components/option-group/style/css";
import "element-plus/es/components/pagination/style/css";
import "element-plus/es/components/popover/style/css";
import "element-plus/es/components/radio/style/css";
import "element-plus/es/components/radio-button/style/css";
import "element-plus/es/components/radio-group/style/css";
import "element-plus/es/components/select/style/css";
import "element-plus/es/components/skeleton/style/css";
import "element-plus/es/components/skeleton-item/style/css";
import "element-plus/es/components/switch/style/css";
import "element-plus/es/components/tag/style/css";
import "element-plus/es/components/tooltip/style/css";
// The services lib/feedback.ts calls (ElMessage, ElMessageBox): their styles only.
import "element-plus/es/components/message/style/css";
import "element-plus/es/components/message-box/style/css";

/** The components templates may name as `<el-…>`, registered under their own names. */
export const COMPONENTS = [
  ElAlert,
  ElAutocomplete,
  ElButton,
  ElCheckbox,
  ElCheckboxGroup,
  ElConfigProvider,
  ElDialog,
  ElDropdown,
  ElDropdownItem,
  ElDropdownMenu,
  ElForm,
  ElFormItem,
  ElIcon,
  ElInput,
  ElInputTag,
  ElOption,
  ElOptionGroup,
  ElPagination,
  ElPopover,
  ElRadio,
  ElRadioButton,
  ElRadioGroup,
  ElSelect,
  ElSkeleton,
  ElSkeletonItem,
  ElSwitch,
  ElTag,
  ElTooltip,
] as const;

/** Registers COMPONENTS and the `v-loading` directive. */
export const elementPlus: Plugin = {
  install(app) {
    for (const component of COMPONENTS) app.use(component);
    app.use(ElLoading);
  },
};
