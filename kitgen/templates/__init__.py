"""A client's own templates, from the file handed over to the kit.

clean.py      every client .pptx/.potx/.potm/.docx/.dotx/.dotm is checked as a zip and cleaned
              (main content type, macros, outside links) before python-pptx/python-docx opens it;
              clean_base.py (shared), clean_links.py (relationships), clean_word.py, clean_slides.py
inspect.py    one TemplateInfo / DocumentInfo per file digest: masters, layouts, boxes, graphics, theme;
              inspect_model.py (Box, LayoutInfo, TemplateInfo …), inspect_word.py (DocumentInfo)
choose.py     a layout (master + layout) per slide kind by what layouts hold; logo_box
brand.py      the deck template resolved for one org: layouts chosen, fitting sizes, theme colours/fonts
wordstyles.py a Word document made whole: kitgen's styles (with numbering), a page, no heading numbers
init.py       what ``kitgen init-org`` writes; describe.py what it and ``kitgen show template`` print
"""
